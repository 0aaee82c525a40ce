package io.tpa.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The configuration reference, rendered as Markdown from the JSON Schema of {@code tpa.yml}
 * ({@value #SCHEMA_RESOURCE}) and the size catalog. {@code docs/reference/config.md} holds its output;
 * {@code ConfigReferenceTest} keeps the two in step. The schema helpers here also serve {@link SpecLoader}.
 */
public final class ConfigReference {
    static final String SCHEMA_RESOURCE = "schema/tpa.schema.json";
    static final String REGENERATE_COMMAND = "./mvnw -q test -Dtest=ConfigReferenceTest -Dtpa.updateDocs=true";

    private static final Pattern PLAIN_YAML = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*|[0-9]+[A-Za-z]+");
    private static final List<String> YAML_WORDS = List.of("true", "false", "null", "yes", "no", "on", "off");
    private static final Map<String, String> TYPE_WORDS = Map.of(
            "string", "a string",
            "integer", "a whole number",
            "number", "a number",
            "boolean", "a boolean",
            "object", "a mapping",
            "array", "a list",
            "null", "an empty value");
    private static JsonNode schema;

    /** One documented key: its path (such as {@code clusters[].nodes[].size}), schema and whether it is required. */
    private record Key(String path, JsonNode property, boolean required) {
    }

    private ConfigReference() {
    }

    /** The schema of the configuration file, read once from the classpath. */
    public static synchronized JsonNode schema() {
        if (schema == null) {
            try (InputStream in = ConfigReference.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("schema missing from the build: " + SCHEMA_RESOURCE);
                }
                schema = Json.JSON.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schema;
    }

    /** The schema a property points to with {@code $ref}, overlaid with the property's own keywords. */
    static JsonNode resolve(JsonNode property) {
        JsonNode reference = property.path("$ref");
        if (reference.isMissingNode()) {
            return property;
        }
        ObjectNode merged = referenced(reference.asText()).deepCopy();
        property.fields().forEachRemaining(field -> merged.set(field.getKey(), field.getValue()));
        merged.remove("$ref");
        return merged;
    }

    /** The schema of the value at a path of keys and list indexes, or a missing node when the schema has none. */
    static JsonNode schemaAt(List<Object> path) {
        JsonNode current = schema();
        for (Object segment : path) {
            current = segment instanceof Integer
                    ? resolve(current.path("items"))
                    : resolve(childSchema(current, (String) segment));
        }
        return current;
    }

    private static JsonNode childSchema(JsonNode objectSchema, String key) {
        JsonNode property = objectSchema.path("properties").path(key);
        return property.isMissingNode() && objectSchema.path("additionalProperties").isObject()
                ? objectSchema.get("additionalProperties")
                : property;
    }

    private static JsonNode referenced(String reference) {
        if (!reference.startsWith("#/")) {
            throw new IllegalStateException("only local references are supported in the schema: " + reference);
        }
        return schema().at(reference.substring(1));
    }

    /** A value written as YAML flow style, the way a user would type it: {@code [{name: pg1}]}. */
    static String flowYaml(JsonNode value) {
        if (value.isObject()) {
            List<String> fields = new ArrayList<>();
            value.fields().forEachRemaining(field -> fields.add(field.getKey() + ": " + flowYaml(field.getValue())));
            return "{" + String.join(", ", fields) + "}";
        }
        if (value.isArray()) {
            return elements(value).stream().map(ConfigReference::flowYaml).collect(Collectors.joining(", ", "[", "]"));
        }
        String text = value.asText();
        boolean plain = !value.isTextual() || PLAIN_YAML.matcher(text).matches() && !YAML_WORDS.contains(text);
        return plain ? text : "'" + text.replace("'", "''") + "'";
    }

    static List<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    /** The Markdown reference of every key of the configuration file. */
    public static String render() {
        JsonNode root = schema();
        StringBuilder out = new StringBuilder()
                .append("# Configuration reference\n\n")
                .append("<!-- Generated by io.tpa.model.ConfigReference from src/main/resources/")
                .append(SCHEMA_RESOURCE).append(" and the size catalog; do not edit by hand. -->\n\n")
                .append("This file is generated from the JSON Schema of `tpa.yml`. To regenerate it after changing ")
                .append("the schema, run `").append(REGENERATE_COMMAND).append("`.\n\n")
                .append(root.path("description").asText()).append(" The file is `tpa.yml`, `tpa.yaml` or ")
                .append("`tpa.json` in the group's directory; unknown keys are errors.\n\n")
                .append("An example:\n\n```yaml\n").append(Json.writeYaml(root.path("examples").path(0)))
                .append("```\n\n")
                .append("## Keys\n\n")
                .append("`[]` stands for every item of a list. A required key is required whenever the mapping ")
                .append("that holds it is present.\n");
        keys(root, "").forEach(key -> renderKey(out, key));
        renderSizes(out);
        return out.toString();
    }

    private static List<Key> keys(JsonNode objectSchema, String prefix) {
        List<Key> keys = new ArrayList<>();
        List<String> required = elements(objectSchema.path("required")).stream().map(JsonNode::asText).toList();
        objectSchema.path("properties").fields().forEachRemaining(field -> {
            String path = prefix + field.getKey();
            keys.add(new Key(path, field.getValue(), required.contains(field.getKey())));
            keys.addAll(nestedKeys(resolve(field.getValue()), path));
        });
        return keys;
    }

    private static List<Key> nestedKeys(JsonNode resolved, String path) {
        if (resolved.has("properties")) {
            return keys(resolved, path + ".");
        }
        JsonNode items = resolve(resolved.path("items"));
        if (items.has("properties")) {
            return keys(items, path + "[].");
        }
        JsonNode values = resolved.path("additionalProperties");
        if (values.isObject()) {
            return List.of(new Key(path + ".<" + noun(resolved.path("propertyNames").path("$ref").asText()) + ">",
                    values, false));
        }
        return List.of();
    }

    private static void renderKey(StringBuilder out, Key key) {
        JsonNode resolved = resolve(key.property());
        out.append("\n### `").append(key.path()).append("`\n\n").append(description(key.property())).append("\n\n");
        out.append("- Type: ").append(typeWords(resolved.path("type"))).append('\n');
        out.append("- Required: ").append(key.required() ? "yes" : "no").append('\n');
        line(out, "Default", resolved.path("default"), value -> "`" + flowYaml(value) + "`");
        line(out, "Allowed values", resolved.path("enum"), ConfigReference::codeList);
        line(out, "Pattern", resolved.path("pattern"), value -> "`" + value.asText() + "`");
        line(out, "Minimum", resolved.path("minimum"), JsonNode::asText);
        line(out, "Maximum", resolved.path("maximum"), JsonNode::asText);
        String name = key.path().substring(key.path().lastIndexOf('.') + 1);
        line(out, "Example", resolved.path("examples"), examples -> elements(examples).stream()
                .map(example -> "`" + name + ": " + flowYaml(example) + "`").collect(Collectors.joining(" or ")));
    }

    private static void line(StringBuilder out, String label, JsonNode value, Function<JsonNode, String> format) {
        if (!value.isMissingNode()) {
            out.append("- ").append(label).append(": ").append(format.apply(value)).append('\n');
        }
    }

    private static void renderSizes(StringBuilder out) {
        Catalog catalog = Catalog.load();
        out.append("\n## Sizes\n\nThe size catalog; `").append(catalog.defaultSize()).append("` is the default.\n\n")
                .append("| Size | CPUs | Memory (GB) | Disk (GB) |\n|---|---|---|---|\n");
        for (SizeSpec size : catalogSizes(catalog)) {
            out.append("| `").append(size.name()).append("` | ").append(size.cpus()).append(" | ")
                    .append(number(size.memoryGb()))
                    .append(" | ").append(size.diskGb()).append(" |\n");
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** The catalog sizes from the smallest to the largest. */
    static List<SizeSpec> catalogSizes(Catalog catalog) {
        return catalog.sizes().values().stream()
                .sorted(Comparator.comparing(SizeSpec::cpus).thenComparing(SizeSpec::memoryGb)
                        .thenComparing(SizeSpec::diskGb))
                .toList();
    }

    /** A property's description followed by the description of the schema it refers to. */
    private static String description(JsonNode property) {
        String own = property.path("description").asText();
        JsonNode reference = property.path("$ref");
        return reference.isMissingNode() ? own
                : own + " " + referenced(reference.asText()).path("description").asText();
    }

    /** The name of a schema definition for people: {@code #/$defs/parameter_name} becomes "parameter name". */
    static String noun(String definition) {
        return definition.substring(definition.lastIndexOf('/') + 1).replace('_', ' ');
    }

    /** JSON Schema types in the words the documentation and error messages use. */
    static String typeWords(JsonNode type) {
        List<String> words = (type.isArray() ? elements(type) : List.of(type)).stream()
                .map(each -> TYPE_WORDS.getOrDefault(each.asText(), each.asText())).toList();
        return words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    private static String codeList(JsonNode values) {
        return elements(values).stream().map(value -> "`" + value.asText() + "`").collect(Collectors.joining(", "));
    }
}
