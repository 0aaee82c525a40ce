package io.tpa.operation.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.operation.bench.BenchResult.Figure;
import java.io.StringReader;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The history chart is well-formed SVG with a panel per series, a point per run, axes and labels. */
class HistoryChartTest {
    private static BenchResult run(String started, double tps, double p95) {
        return new BenchResult("shop<&>", started, 30, 4, 10, List.of(), List.of(
                new Figure("pg1", Figures.RW_TPS, tps, "tps", 150.0, true, "ok", null),
                new Figure("pg1", Figures.RW_P95, p95, "ms", 40.0, false, "ok", null)));
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    @Test
    void threeRunsMakeThreePointsPerPanelOnAxesScaledToTheLargest() throws Exception {
        String svg = HistoryChart.render("shop<&>", List.of(run("2026-12-07T03:30:00Z", 772.9, 6.9), run("2026-12-07T04:00:00Z", 1100, 4.2),
                run("2026-12-08T09:15:00Z", 450.5, 12.0)));
        Document document = parse(svg);
        Element root = document.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        NodeList groups = document.getElementsByTagNameNS("*", "g");
        assertThat(groups.getLength()).isEqualTo(2);
        assertThat(((Element) groups.item(0)).getAttribute("id")).isEqualTo("tps");
        assertThat(((Element) groups.item(1)).getAttribute("id")).isEqualTo("p95");
        assertThat(document.getElementsByTagNameNS("*", "circle").getLength()).isEqualTo(6);
        assertThat(document.getElementsByTagNameNS("*", "polyline").getLength()).isEqualTo(2);
        assertThat(document.getElementsByTagNameNS("*", "line").getLength()).as("two axes and five grid lines per panel").isEqualTo(14);
        assertThat(svg).contains("tpa bench: group shop&lt;&amp;&gt;, 3 runs")
                .contains(">2000</text>") // the TPS axis' top: 1100 rounded up to 2, 5 or 10 times a power of ten
                .contains(">20</text>")   // the p95 axis' top: 12 ms
                .contains(">12-08 09:15</text>")
                .contains("<title>2026-12-07T04:00:00Z: 1100</title>");
    }

    @Test
    void aSingleRunIsOnePointInTheMiddle() throws Exception {
        String svg = HistoryChart.render("g", List.of(run("2026-12-07T03:30:00Z", 500, 5)));
        assertThat(svg).as("the p95 axis' ticks, to 5 ms, without trailing zeros").contains(">1.25</text>").contains(">2.5</text>")
                .contains(">5</text>");
        Document document = parse(svg);
        assertThat(document.getElementsByTagNameNS("*", "circle").getLength()).isEqualTo(2);
        assertThat(((Element) document.getElementsByTagNameNS("*", "circle").item(0)).getAttribute("cx")).isEqualTo("425.0");
    }

    @Test
    void niceCeilings() {
        assertThat(HistoryChart.niceCeiling(1100)).isEqualTo(2000);
        assertThat(HistoryChart.niceCeiling(6.9)).isEqualTo(10);
        assertThat(HistoryChart.niceCeiling(450)).isEqualTo(500);
        assertThat(HistoryChart.niceCeiling(100)).isEqualTo(100);
        assertThat(HistoryChart.niceCeiling(0)).isEqualTo(1);
    }
}
