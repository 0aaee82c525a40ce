package io.tpa.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.tpa.error.UserError;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Finds the configuration file of a group directory, parses it keeping the line and column of every value,
 * validates it against the JSON Schema and the catalog, and reports the first problem as a one-line
 * {@link UserError}: {@code tpa.yml:7:9: clusters[0].nodes[1].size: unknown size 'smal'; did you mean 'small'?}.
 */
public final class SpecLoader {
    /** The names a configuration file may have, in the order they are looked for. */
    public static final List<String> FILE_NAMES = List.of("tpa.yml", "tpa.yaml", "tpa.json");

    /** Reads an empty YAML value ({@code nodes:}) as null, as YAML means it, rather than as an empty string. */
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build();
    private static JsonSchema validator;

    /** A position in the file, both counted from 1. */
    private record Location(int line, int column) {
        static final Location START = new Location(1, 1);
        static final Comparator<Location> ORDER = Comparator.comparingInt(Location::line)
                .thenComparingInt(Location::column);

        static Location of(JsonLocation location) {
            return new Location(Math.max(location.getLineNr(), 1), Math.max(location.getColumnNr(), 1));
        }
    }

    /** One thing wrong with the file: where, at which config path, and what (then how to fix it). */
    private record Problem(Location location, String path, String text) {
        static final Comparator<Problem> ORDER = Comparator.comparing(Problem::location, Location.ORDER)
                .thenComparing(Problem::path).thenComparing(Problem::text);

        String format(Path file) {
            return file + ":" + location.line() + ":" + location.column() + ": "
                    + (path.isEmpty() ? "" : path + ": ") + text;
        }
    }

    /** A place in the configuration: keys and list indexes, shown as users write it: clusters[0].nodes[1].size. */
    private record ConfigPath(List<Object> segments) {
        static final ConfigPath ROOT = new ConfigPath(List.of());

        static ConfigPath of(JsonNodePath path) {
            List<Object> segments = new ArrayList<>();
            for (int index = 0; index < path.getNameCount(); index++) {
                segments.add(path.getElement(index));
            }
            return new ConfigPath(List.copyOf(segments));
        }

        ConfigPath child(Object segment) {
            List<Object> longer = new ArrayList<>(segments);
            longer.add(segment);
            return new ConfigPath(List.copyOf(longer));
        }

        ConfigPath parent() {
            return new ConfigPath(segments.subList(0, segments.size() - 1));
        }

        Object last() {
            return segments.get(segments.size() - 1);
        }

        /** What the value here is, as a noun: "cluster" for clusters[1], "node" for nodes, "group" at the top. */
        String noun() {
            if (segments.isEmpty()) {
                return "group";
            }
            Object name = last() instanceof Integer ? segments.get(segments.size() - 2) : last();
            return name.toString().replaceAll("s$", "");
        }

        JsonNode in(JsonNode tree) {
            JsonNode node = tree;
            for (Object segment : segments) {
                node = segment instanceof Integer index ? node.path(index) : node.path((String) segment);
            }
            return node;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            for (Object segment : segments) {
                text.append(segment instanceof Integer ? "[" + segment + "]" : (text.isEmpty() ? "" : ".") + segment);
            }
            return text.toString();
        }
    }

    /**
     * A parsed file: its tree, and where each value starts. The location of a mapping's value is the location
     * of its key, which is where a user looks.
     */
    private record Document(JsonNode tree, Map<ConfigPath, Location> locations) {
        /** Where the value at path starts, or where its nearest enclosing value does. */
        Location locate(ConfigPath path) {
            Location location = locations.get(path);
            return location != null ? location : path.segments().isEmpty() ? Location.START : locate(path.parent());
        }

        Problem problem(ConfigPath path, String text) {
            return new Problem(locate(path), path.toString(), text);
        }

        /** A problem with a key of the mapping at path: reported at the key, under the mapping's path. */
        Problem keyProblem(ConfigPath path, String key, String text) {
            return new Problem(locate(path.child(key)), path.toString(), text);
        }
    }

    private SpecLoader() {
    }

    /** Loads and validates the configuration of the group in dir; every problem is a {@link UserError}. */
    public static LoadedSpec load(Path dir) {
        Path file = findFile(dir);
        List<Problem> problems = new ArrayList<>();
        Document document = parse(file, problems);
        problems.addAll(schemaProblems(document));
        if (!problems.isEmpty()) {
            throw failure(file, problems);
        }
        GroupSpec spec = convert(document.tree());
        problems.addAll(catalogProblems(document, spec, Catalog.load()));
        if (!problems.isEmpty()) {
            throw failure(file, problems);
        }
        Map<String, String> positions = new java.util.HashMap<>();
        document.locations().forEach((path, location) -> positions.put(path.toString(), location.line() + ":" + location.column()));
        return new LoadedSpec(file, spec, Map.copyOf(positions));
    }

    private static Path findFile(Path dir) {
        String shown = dir.toString().isEmpty() ? "." : dir.toString();
        if (!Files.exists(dir)) {
            throw new UserError(shown + ": no such directory; check the path, or run `tpa init " + shown
                    + "` to create a group there");
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError(shown + ": not a directory; pass the directory that holds tpa.yml");
        }
        List<Path> found = FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).toList();
        if (found.isEmpty()) {
            throw new UserError(shown + ": no tpa.yml, tpa.yaml or tpa.json found; run `tpa init " + shown
                    + "` to create one");
        }
        if (found.size() > 1) {
            throw new UserError(joinWords(found.stream().map(Path::toString).toList(), "and")
                    + (found.size() == 2 ? " both" : " all") + " describe the group; keep one and remove the rest");
        }
        return found.get(0);
    }

    // Parsing

    private static Document parse(Path file, List<Problem> problems) {
        JsonFactory factory = file.getFileName().toString().endsWith(".json") ? Json.JSON.getFactory() : YAML;
        Map<ConfigPath, Location> locations = new HashMap<>();
        try (JsonParser parser = factory.createParser(read(file))) {
            if (parser.nextToken() == null) {
                throw failure(file, List.of(new Problem(Location.START, "", "the file is empty; describe the group "
                        + "in it, starting with name: and clusters: (see docs/reference/config.md)")));
            }
            JsonNode tree = readValue(parser, ConfigPath.ROOT, locations, problems);
            if (parser.nextToken() != null) {
                problems.add(new Problem(Location.of(parser.currentTokenLocation()), "",
                        "unexpected content after the configuration; keep a single mapping in the file"));
            }
            Document document = new Document(tree, locations);
            if (!tree.isObject()) {
                throw failure(file, List.of(document.problem(ConfigPath.ROOT, "expected a mapping at the top "
                        + "level, found " + valueWords(tree) + "; start the file with keys such as name: demo and "
                        + "clusters:")));
            }
            return document;
        } catch (JsonProcessingException e) {
            throw failure(file, List.of(syntaxProblem(file, e)));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the file; check that it exists and that you may read it");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new UserError(file + ": the file is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the file; check that you may read it");
        }
    }

    private static Problem syntaxProblem(Path file, JsonProcessingException exception) {
        boolean yaml = !file.getFileName().toString().endsWith(".json");
        String what = exception.getCause() instanceof MarkedYAMLException marked
                ? marked.getProblem()
                : exception.getOriginalMessage().lines().findFirst().orElse("syntax error");
        Location location = exception.getLocation() == null ? Location.START : Location.of(exception.getLocation());
        return new Problem(location, "", "invalid " + (yaml ? "YAML" : "JSON") + ": " + what
                + "; check the " + (yaml ? "indentation and " : "") + "punctuation here and on the line before");
    }

    /** Reads the value at the parser's current token, recording the location of it and everything inside. */
    private static JsonNode readValue(JsonParser parser, ConfigPath path, Map<ConfigPath, Location> locations,
            List<Problem> problems) throws IOException {
        locations.putIfAbsent(path, Location.of(parser.currentTokenLocation()));
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            ObjectNode object = Json.JSON.createObjectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                Location keyLocation = Location.of(parser.currentTokenLocation());
                if (object.has(key)) {
                    problems.add(new Problem(keyLocation, path.toString(), "duplicate key '" + key
                            + "'; keep only one of them"));
                }
                locations.putIfAbsent(path.child(key), keyLocation);
                parser.nextToken();
                object.putIfAbsent(key, readValue(parser, path.child(key), locations, problems));
            }
            return object;
        }
        if (parser.currentToken() == JsonToken.START_ARRAY) {
            ArrayNode array = Json.JSON.createArrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(readValue(parser, path.child(array.size()), locations, problems));
            }
            return array;
        }
        return Json.JSON.readTree(parser);
    }

    private static GroupSpec convert(JsonNode tree) {
        try {
            return Json.JSON.treeToValue(tree, GroupSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a configuration that passed the schema does not fit GroupSpec", e);
        }
    }

    // Schema validation

    private static synchronized JsonSchema validator() {
        if (validator == null) {
            validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(ConfigReference.schema());
        }
        return validator;
    }

    private static List<Problem> schemaProblems(Document document) {
        Set<ValidationMessage> messages = validator().validate(document.tree());
        Set<ConfigPath> misspelledKeys = messages.stream()
                .filter(message -> message.getType().equals("additionalProperties"))
                .flatMap(message -> {
                    ConfigPath path = ConfigPath.of(message.getInstanceLocation());
                    return closest(message.getProperty(), allowedKeys(path)).map(path::child).stream();
                })
                .collect(Collectors.toSet());
        return messages.stream()
                .filter(message -> !isMisspelledRequiredKey(message, misspelledKeys))
                .map(message -> translate(document, message))
                .toList();
    }

    /** A missing required key that the user wrote with a typo is reported once, as the unknown key. */
    private static boolean isMisspelledRequiredKey(ValidationMessage message, Set<ConfigPath> misspelledKeys) {
        return message.getType().equals("required")
                && misspelledKeys.contains(ConfigPath.of(message.getInstanceLocation()).child(message.getProperty()));
    }

    /** Turns a schema violation into words, using only its structured fields, never its message text. */
    private static Problem translate(Document document, ValidationMessage message) {
        ConfigPath path = ConfigPath.of(message.getInstanceLocation());
        JsonNode value = path.in(document.tree());
        JsonNode keyword = message.getSchemaNode();
        String key = message.getProperty();
        return switch (message.getType()) {
            case "additionalProperties" -> document.keyProblem(path, key, "unknown key '" + key + "'; "
                    + hint(key, allowedKeys(path), "allowed here"));
            case "required" -> document.problem(path, "missing required key '" + key + "'; add it"
                    + example(path.child(key)).map(text -> ", for example " + text).orElse(""));
            case "type" -> document.problem(path, "expected " + ConfigReference.typeWords(keyword) + ", found "
                    + valueWords(value) + "; " + example(path).map(text -> "for example " + text)
                    .orElse("write " + ConfigReference.typeWords(keyword) + " instead"));
            case "enum" -> document.problem(path, "unknown value '" + value.asText() + "'; "
                    + hint(value.asText(), texts(keyword), "allowed values"));
            case "pattern" -> document.problem(path, invalidName(value.asText(), schemaHolding(message)));
            case "propertyNames" -> document.keyProblem(path, key, invalidName(key, keyword.path("$ref").asText()));
            case "minItems" -> document.problem(path, tooFewItems(path, keyword.asInt()));
            case "minimum" -> document.problem(path, value.asText() + " is below the minimum of " + keyword.asText()
                    + "; use at least " + keyword.asText());
            case "maximum" -> document.problem(path, value.asText() + " is above the maximum of " + keyword.asText()
                    + "; use at most " + keyword.asText());
            case "minLength" -> document.problem(path, "the value is empty; "
                    + example(path).map(text -> "write one, for example " + text).orElse("remove the key"));
            case "uniqueItems" -> duplicateItem(document, path, value);
            default -> document.problem(path, "this value is not valid here; see docs/reference/config.md");
        };
    }

    /** The keys of {@code backup.repository} that only an S3 repository (or a backup server) has, and the ones it needs. */
    private static List<Problem> repositoryProblems(Document document, BackupSpec.Repository repository) {
        ConfigPath path = new ConfigPath(List.of("backup", "repository"));
        List<Problem> problems = new ArrayList<>();
        if (!repository.onServer()) {
            Map<String, Object> serverKeys = new java.util.LinkedHashMap<>();
            serverKeys.put("host", repository.host());
            serverKeys.put("ssh", repository.ssh());
            serverKeys.forEach((key, value) -> {
                if (value != null) {
                    problems.add(document.problem(path.child(key), key + " is a key of a backup server repository; remove it, or set "
                            + "type: server"));
                }
            });
        }
        Map<String, Object> s3Keys = new java.util.LinkedHashMap<>();
        s3Keys.put("bucket", repository.bucket());
        s3Keys.put("endpoint", repository.endpoint());
        s3Keys.put("region", repository.region());
        s3Keys.put("port", repository.port());
        s3Keys.put("uri_style", repository.uriStyle());
        s3Keys.put("ca_file", repository.caFile());
        if (!repository.s3()) {
            s3Keys.forEach((key, value) -> {
                if (value != null) {
                    problems.add(document.problem(path.child(key), key + " is a key of an S3 repository; remove it, or set type: s3"));
                }
            });
            return problems;
        }
        for (String key : List.of("bucket", "endpoint", "region")) {
            if (s3Keys.get(key) == null) {
                problems.add(document.problem(path, "an S3 repository needs the key '" + key + "'; add it"
                        + example(path.child(key)).map(text -> ", for example " + text).orElse("")));
            }
        }
        if (repository.endpoint() != null && !repository.endpoint().matches("[A-Za-z0-9.-]+")) {
            problems.add(document.problem(path.child("endpoint"), "'" + repository.endpoint() + "' is not a host name; write the store's "
                    + "host name alone (no https://, no path; the port goes in port), for example endpoint: s3.eu-west-1.amazonaws.com"));
        }
        if (repository.path() != null && !repository.path().startsWith("/")) {
            problems.add(document.problem(path.child("path"), "the path inside the bucket starts with /; write /" + repository.path()));
        }
        if (repository.caFile() != null && !repository.caFile().startsWith("/")) {
            problems.add(document.problem(path.child("ca_file"), "'" + repository.caFile() + "' is not an absolute path; name the CA "
                    + "certificate's file on the nodes' servers from /"));
        }
        return problems;
    }

    private static List<String> allowedKeys(ConfigPath path) {
        List<String> keys = new ArrayList<>();
        ConfigReference.schemaAt(path.segments()).path("properties").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** The schema examples of the key at path, as the user would write them: {@code nodes: [{name: pg1}]}. */
    private static Optional<String> example(ConfigPath path) {
        JsonNode examples = ConfigReference.schemaAt(path.segments()).path("examples");
        if (examples.isEmpty()) {
            return Optional.empty();
        }
        String prefix = !path.segments().isEmpty() && path.last() instanceof String key ? key + ": " : "";
        return Optional.of(ConfigReference.elements(examples).stream()
                .map(example -> prefix + ConfigReference.flowYaml(example))
                .collect(Collectors.joining(" or ")));
    }

    /** The reference ({@code #/$defs/name}) of the schema holding the keyword that failed. */
    private static String schemaHolding(ValidationMessage message) {
        return "#" + message.getSchemaLocation().getFragment().getParent().toString();
    }

    private static String tooFewItems(ConfigPath path, int minimum) {
        String fewest = minimum == 1 ? "one " + path.noun() : minimum + " " + path.noun() + "s";
        return "a " + path.parent().noun() + " needs at least " + fewest + "; add " + (minimum == 1 ? "one" : "more")
                + example(path).map(text -> ", for example " + text).orElse("");
    }

    /** A pattern failure, explained with the description of the schema that holds the pattern. */
    private static String invalidName(String given, String reference) {
        String rule = ConfigReference.schema().at(reference.substring(1)).path("description").asText()
                .replaceAll("\\.$", "");
        return "'" + given + "' is not a valid " + ConfigReference.noun(reference) + "; "
                + Character.toLowerCase(rule.charAt(0)) + rule.substring(1);
    }

    private static Problem duplicateItem(Document document, ConfigPath path, JsonNode list) {
        List<JsonNode> items = ConfigReference.elements(list);
        for (int index = 1; index < items.size(); index++) {
            if (items.subList(0, index).contains(items.get(index))) {
                return document.problem(path.child(index), "'" + items.get(index).asText()
                        + "' is listed twice; remove one of them");
            }
        }
        return document.problem(path, "an item is listed twice; remove one of them");
    }

    // Checks against the catalog, on a configuration the schema accepted

    private static List<Problem> catalogProblems(Document document, GroupSpec spec, Catalog catalog) {
        List<Problem> problems = new ArrayList<>();
        if (spec.postgres() != null) {
            problems.addAll(postgresProblems(document, spec.postgres(), catalog));
        }
        if (spec.access() != null) {
            for (int index = 0; index < spec.access().networks().size(); index++) {
                String problem = AccessSpec.whyInvalidNetwork(spec.access().networks().get(index));
                if (problem != null) {
                    problems.add(document.problem(new ConfigPath(List.of("access", "networks", index)), problem));
                }
            }
        }
        if (spec.backup() != null && spec.backup().repository() != null) {
            problems.addAll(repositoryProblems(document, spec.backup().repository()));
        }
        if (spec.endpoints() != null && spec.endpoints().maxReplicaLag() != null) {
            String problem = EndpointsSpec.whyInvalidSize(spec.endpoints().maxReplicaLag().toString());
            if (problem != null) {
                problems.add(document.problem(new ConfigPath(List.of("endpoints", "max_replica_lag")), problem));
            }
        }
        if (spec.defaults() != null) {
            sizeProblem(document, new ConfigPath(List.of("defaults", "size")), spec.defaults().size(), catalog)
                    .ifPresent(problems::add);
        }
        Map<String, ConfigPath> clusterNames = new HashMap<>();
        Map<String, ConfigPath> nodeNames = new HashMap<>();
        Map<String, ConfigPath> hosts = new HashMap<>();
        boolean ssh = "ssh".equals(spec.platform());
        if (!ssh && spec.ssh() != null) {
            problems.add(document.problem(new ConfigPath(List.of("ssh")),
                    "ssh logins are for the ssh platform; remove ssh, or set platform: ssh"));
        }
        for (int clusterIndex = 0; clusterIndex < spec.clusters().size(); clusterIndex++) {
            ClusterSpec cluster = spec.clusters().get(clusterIndex);
            ConfigPath clusterPath = new ConfigPath(List.of("clusters", clusterIndex));
            duplicateName(document, clusterNames, cluster.name(), clusterPath,
                    "give each cluster a name of its own").ifPresent(problems::add);
            for (int nodeIndex = 0; nodeIndex < cluster.nodes().size(); nodeIndex++) {
                NodeSpec node = cluster.nodes().get(nodeIndex);
                ConfigPath nodePath = clusterPath.child("nodes").child(nodeIndex);
                duplicateName(document, nodeNames, node.name(), nodePath,
                        "node names are host names, so each must be unique in the group").ifPresent(problems::add);
                sizeProblem(document, nodePath.child("size"), node.size(), catalog).ifPresent(problems::add);
                problems.addAll(hostProblems(document, ssh, node, nodePath, hosts));
            }
        }
        if (spec.monitoring() != null && spec.monitoring().prometheus() != null && !nodeNames.containsKey(spec.monitoring().prometheus())) {
            problems.add(document.problem(new ConfigPath(List.of("monitoring", "prometheus")), "no node is named '"
                    + spec.monitoring().prometheus() + "'; name one of the group's nodes: " + String.join(", ",
                    spec.allNodes().stream().map(NodeSpec::name).toList())));
        }
        return problems;
    }

    /** On the ssh platform every node names a host of its own; elsewhere none does. */
    private static List<Problem> hostProblems(Document document, boolean ssh, NodeSpec node, ConfigPath nodePath,
            Map<String, ConfigPath> hosts) {
        List<Problem> problems = new ArrayList<>();
        if (!ssh) {
            if (node.host() != null) {
                problems.add(document.problem(nodePath.child("host"), "nodes run on hosts of their own only on the ssh platform; "
                        + "remove host, or set platform: ssh"));
            }
            if (node.ssh() != null) {
                problems.add(document.problem(nodePath.child("ssh"), "ssh logins are for the ssh platform; remove ssh, or set platform: ssh"));
            }
            return problems;
        }
        if (node.host() == null) {
            problems.add(document.problem(nodePath, "node '" + node.name() + "' names no host; on the ssh platform add "
                    + "host: with the address or DNS name of its server"));
            return problems;
        }
        ConfigPath firstUse = hosts.putIfAbsent(node.host().toLowerCase(java.util.Locale.ROOT), nodePath);
        if (firstUse != null) {
            problems.add(document.problem(nodePath.child("host"), "host '" + node.host() + "' already runs " + firstUse
                    + " (line " + document.locate(firstUse).line() + "); every node needs a server of its own"));
        }
        return problems;
    }

    private static List<Problem> postgresProblems(Document document, PostgresSpec postgres, Catalog catalog) {
        List<Problem> problems = new ArrayList<>();
        ConfigPath path = new ConfigPath(List.of("postgres"));
        List<Integer> versions = catalog.postgresVersions();
        if (postgres.version() != null && !versions.contains(postgres.version())) {
            List<String> offers = catalog.releases().stream().map(release -> release + " offers " + joinWords(catalog
                    .distribution(release).postgresVersions().stream().map(String::valueOf).toList(), "and")).toList();
            problems.add(document.problem(path.child("version"), "PostgreSQL " + postgres.version()
                    + " is not in the version catalog; use " + joinWords(versions.stream().map(String::valueOf)
                    .toList(), "or") + " (" + String.join(", ", offers) + "; see `tpa versions`)"));
        }
        List<String> known = Stream.concat(catalog.contrib().stream(), catalog.extensions().keySet().stream())
                .distinct().sorted().toList();
        for (int index = 0; index < postgres.extensions().size(); index++) {
            String extension = postgres.extensions().get(index);
            if (!catalog.knowsExtension(extension)) {
                String list = "`tpa versions` lists the known extensions";
                problems.add(document.problem(path.child("extensions").child(index), "unknown extension '"
                        + extension + "'; " + closest(extension, known)
                        .map(match -> "did you mean '" + match + "'? (" + list + ")").orElse(list)));
            }
        }
        return problems;
    }

    private static Optional<Problem> sizeProblem(Document document, ConfigPath path, SizeSpec size,
            Catalog catalog) {
        boolean unknownName = size != null && size.cpus() == null && !catalog.sizes().containsKey(size.name());
        if (!unknownName) {
            return Optional.empty();
        }
        List<String> names = ConfigReference.catalogSizes(catalog).stream().map(SizeSpec::name).toList();
        return Optional.of(document.problem(path, "unknown size '" + size.name() + "'; "
                + hint(size.name(), names, "sizes")));
    }

    private static Optional<Problem> duplicateName(Document document, Map<String, ConfigPath> firstUses,
            String name, ConfigPath path, String fix) {
        ConfigPath firstUse = firstUses.putIfAbsent(name, path);
        if (firstUse == null) {
            return Optional.empty();
        }
        return Optional.of(document.problem(path.child("name"), path.noun() + " name '" + name + "' is already used by "
                + firstUse + " at line " + document.locate(firstUse).line() + "; " + fix));
    }

    // Reporting

    private static UserError failure(Path file, List<Problem> problems) {
        List<Problem> ordered = problems.stream().distinct().sorted(Problem.ORDER).toList();
        int more = ordered.size() - 1;
        return new UserError(ordered.get(0).format(file)
                + (more == 0 ? "" : " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")"));
    }

    /** "did you mean 'x'? (label: a, b, c)" when a candidate is close, otherwise "label: a, b, c". */
    private static String hint(String given, List<String> candidates, String label) {
        String list = label + ": " + String.join(", ", candidates);
        return closest(given, candidates).map(match -> "did you mean '" + match + "'? (" + list + ")").orElse(list);
    }

    /** The candidate nearest to given by edit distance, if within 2 edits or one is a prefix of the other. */
    static Optional<String> closest(String given, List<String> candidates) {
        return candidates.stream()
                .filter(candidate -> editDistance(given, candidate) <= 2
                        || candidate.startsWith(given) || given.startsWith(candidate))
                .min(Comparator.comparingInt(candidate -> editDistance(given, candidate)));
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions turning one into the other. */
    static int editDistance(String first, String second) {
        int[] previous = new int[second.length() + 1];
        for (int column = 0; column <= second.length(); column++) {
            previous[column] = column;
        }
        for (int row = 1; row <= first.length(); row++) {
            int[] current = new int[second.length() + 1];
            current[0] = row;
            for (int column = 1; column <= second.length(); column++) {
                int substitution = first.charAt(row - 1) == second.charAt(column - 1) ? 0 : 1;
                current[column] = Math.min(Math.min(current[column - 1], previous[column]) + 1,
                        previous[column - 1] + substitution);
            }
            previous = current;
        }
        return previous[second.length()];
    }

    // Words

    private static String valueWords(JsonNode value) {
        if (value.isFloatingPointNumber()) {
            return "a decimal number";
        }
        String type = value.isIntegralNumber() ? "integer" : value.getNodeType().name().toLowerCase();
        return ConfigReference.typeWords(TextNode.valueOf(type));
    }

    private static List<String> texts(JsonNode array) {
        return ConfigReference.elements(array).stream().map(JsonNode::asText).toList();
    }

    private static String joinWords(List<String> words, String conjunction) {
        return words.size() == 1 ? words.get(0) : String.join(", ", words.subList(0, words.size() - 1))
                + " " + conjunction + " " + words.get(words.size() - 1);
    }
}
