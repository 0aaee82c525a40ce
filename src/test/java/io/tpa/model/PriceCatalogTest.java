package io.tpa.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.model.PriceCatalog.Instance;
import io.tpa.model.PriceCatalog.Provenance;
import io.tpa.model.PriceCatalog.Provider;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {
    private final PriceCatalog prices = PriceCatalog.load();
    private final Catalog catalog = Catalog.load();

    @Test
    void everyPriceNamesThePageItWasReadFromAndTheDay() {
        assertThat(prices.providers().keySet()).containsExactly("aws", "gcp", "azure");
        for (Provider provider : prices.providers().values()) {
            for (Map.Entry<String, Provenance> price : provider.provenances().entrySet()) {
                Provenance provenance = price.getValue();
                assertThat(provenance.source()).as("%s %s: source", provider.name(), price.getKey()).startsWith("https://");
                assertThat(provenance.read()).as("%s %s: read", provider.name(), price.getKey()).isNotNull()
                        .isBeforeOrEqualTo(LocalDate.now());
            }
            assertThat(provider.listPrices()).startsWith("https://");
        }
    }

    @Test
    void eachCloudHasADozenGeneralPurposeAndMemoryOptimisedTypesAndEveryUnitPrice() {
        for (Provider provider : prices.providers().values()) {
            assertThat(provider.instances()).as(provider.name()).hasSizeGreaterThanOrEqualTo(12);
            assertThat(provider.instances()).as(provider.name()).anyMatch(i -> i.family().startsWith("general-purpose"))
                    .anyMatch(i -> i.family().startsWith("memory-optimised"));
            assertThat(provider.instances()).extracting(Instance::name).as(provider.name()).doesNotHaveDuplicates();
            assertThat(provider.blockStorage().amount()).isPositive();
            assertThat(provider.objectStorage().amount()).isPositive();
            assertThat(provider.crossZoneTransfer().amount()).isNotNegative();
        }
    }

    @Test
    void pricesAreTheDecimalsWrittenNotFloatingPointApproximations() {
        Instance micro = instance("aws", "t3.micro");
        assertThat(micro.hourly()).isEqualTo(new BigDecimal("0.0104"));
        assertThat(micro.monthly()).isEqualTo(new BigDecimal("7.5920"));
        assertThat(instance("gcp", "e2-standard-2").hourly()).isEqualTo(new BigDecimal("0.067006"));
    }

    @Test
    void aDerivedPriceIsTheArithmeticItStates() {
        Pattern times = Pattern.compile("(\\d+) x (\\S+)");
        Pattern divided = Pattern.compile("(\\S+) / (\\d+)");
        int checked = 0;
        for (Provider provider : prices.providers().values()) {
            for (Instance instance : provider.instances()) {
                String derived = instance.provenance().derived();
                if (derived == null) {
                    continue;
                }
                Matcher product = times.matcher(derived);
                Matcher quotient = divided.matcher(derived);
                BigDecimal expected;
                if (product.matches()) {
                    expected = instance(provider.name(), product.group(2)).hourly().multiply(new BigDecimal(product.group(1)));
                } else {
                    assertThat(quotient.matches()).as("%s: derived '%s' reads 'N x TYPE' or 'TYPE / N'", instance.name(), derived).isTrue();
                    expected = instance(provider.name(), quotient.group(1)).hourly().divide(new BigDecimal(quotient.group(2)));
                }
                assertThat(instance.hourly()).as("%s %s", provider.name(), instance.name()).isEqualByComparingTo(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void everyCatalogSizeMapsToTheCheapestInstanceOfEachCloudThatFitsIt() {
        for (Provider provider : prices.providers().values()) {
            for (SizeSpec size : catalog.sizes().values()) {
                Instance chosen = provider.cheapestFitting(size).orElseThrow(
                        () -> new AssertionError(provider.name() + " has no instance for size " + size.describe()));
                assertThat(chosen.cpus()).isGreaterThanOrEqualTo(size.cpus());
                assertThat(chosen.memoryGb()).isGreaterThanOrEqualTo(BigDecimal.valueOf(size.memoryGb()));
                for (Instance other : provider.instances()) {
                    if (other.fits(size)) {
                        assertThat(other.hourly()).as("%s: %s fits %s and is cheaper than %s", provider.name(), other.name(),
                                size.name(), chosen.name()).isGreaterThanOrEqualTo(chosen.hourly());
                    }
                }
            }
        }
    }

    @Test
    void aSizeMapsToTheInstanceExpected() {
        SizeSpec small = catalog.sizes().get("small");
        SizeSpec medium = catalog.sizes().get("medium");
        assertThat(prices.provider("aws").cheapestFitting(small)).map(Instance::name).hasValue("t3.small");
        assertThat(prices.provider("aws").cheapestFitting(medium)).map(Instance::name).hasValue("m7g.large");
        assertThat(prices.provider("azure").cheapestFitting(medium)).map(Instance::name).hasValue("Standard_D2s_v5");
        assertThat(prices.provider("gcp").cheapestFitting(medium)).map(Instance::name).hasValue("e2-standard-2");
        // a memory-heavy size of its own goes to a memory-optimised type rather than a bigger general-purpose one
        SizeSpec memoryHeavy = new SizeSpec(null, 2, 12.0, 50);
        assertThat(prices.provider("aws").cheapestFitting(memoryHeavy)).map(Instance::name).hasValue("r6i.large");
        assertThat(prices.provider("azure").cheapestFitting(memoryHeavy)).map(Instance::name).hasValue("Standard_E2s_v5");
        assertThat(prices.provider("gcp").cheapestFitting(memoryHeavy)).map(Instance::name).hasValue("e2-highmem-2");
        assertThat(prices.provider("aws").cheapestFitting(new SizeSpec(null, 64, 512.0, 10))).isEmpty();
    }

    @Test
    void docsPricingListsEveryPriceNotVerifiedOnAStoredPage() throws IOException {
        String docs = Files.readString(Path.of("docs/pricing.md"));
        for (Provider provider : prices.providers().values()) {
            provider.provenances().forEach((name, provenance) -> {
                if (!provenance.verified()) {
                    assertThat(docs).as("docs/pricing.md names the unverified %s price %s", provider.name(), name)
                            .contains("| " + provider.name() + " | " + name + " |");
                }
            });
        }
    }

    private Instance instance(String cloud, String name) {
        return prices.provider(cloud).instances().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }
}
