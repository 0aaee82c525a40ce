package io.tpa.workspace;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tpa.error.UserError;
import io.tpa.model.Catalog;
import io.tpa.model.Json;
import io.tpa.model.SizeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Changes a group's config file for the lifecycle commands ({@code tpa replica add/remove},
 * {@code tpa cluster add/remove}, {@code tpa resize}, {@code tpa fork}), touching only the lines the change
 * needs, so the user's comments, layout and history stay theirs.
 *
 * <p>YAML is edited in place. The file is parsed with Jackson's YAML parser to learn where each cluster and
 * node starts and ends; whole lines are then inserted, replaced or removed in the style of the neighbouring
 * items (indentation, dash style, block or flow mappings, blank lines between items, line endings, trailing
 * newline). In flow lists ({@code nodes: [{name: pg1}, {name: pg2}]}) the edit is made inside the brackets,
 * keeping the flow style. Comments stay where they are, except those that belong to a removed item: the
 * comment lines directly above it at its dash's column, the comment lines after it indented deeper than its
 * dash, and comments on its lines. Comment lines above the first item of a list belong to it only when other
 * items of the list have comments above them too; otherwise they describe the whole list (as the comments
 * {@code tpa init} writes above the first cluster do) and stay.
 *
 * <p>JSON has no comments to keep: it is parsed, changed and written again with 2-space indentation, in the
 * layout {@code tpa init} writes ({@code "name" : "demo"}) if the file was in it, otherwise in the common
 * {@code "name": "demo"} layout.
 *
 * <p>The editor is immutable: each edit returns a new editor holding the new text and, in {@link #changes()},
 * one line per edit saying what it did. Nothing is written until {@link #save()}. An edit that would leave an
 * invalid config (an unknown node, the last node of a cluster, a name already used, an unknown size) is
 * refused with an {@link IllegalArgumentException} whose message is written for the user.
 */
public final class ConfigEditor {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final String NAME_RULE = "names use lowercase letters, digits and hyphens, start with a letter "
            + "and are at most 40 characters long";
    /** Text YAML reads as a string when written without quotes, in block and flow context alike. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*");
    /** Plain text YAML would read as something else than a string: a boolean, null or a number. */
    private static final Pattern NOT_A_STRING = Pattern.compile("(?i)true|false|yes|no|on|off|y|n|null"
            + "|[-+]?(?:[0-9][0-9_]*(?:\\.[0-9_]*)?|\\.[0-9_]+)(?:e[-+]?[0-9]+)?|0x[0-9a-f_]+|0o[0-7_]+"
            + "|[-+]?\\.inf|\\.nan");
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private final Path file;
    private final boolean json;
    private final String text;
    private final List<String> changes;
    private final String newline;
    private final Lines lines;
    private final Located root;

    private ConfigEditor(Path file, String text, List<String> changes) {
        this.file = file;
        this.json = file.getFileName().toString().endsWith(".json");
        this.text = text;
        this.changes = List.copyOf(changes);
        this.newline = text.contains("\r\n") ? "\r\n" : "\n";
        this.lines = new Lines(text);
        this.root = parse();
    }

    /** An editor for the config file (YAML, or JSON when its name ends with .json). */
    public static ConfigEditor open(Path configFile) {
        try {
            return new ConfigEditor(configFile, Files.readString(configFile), List.of());
        } catch (IOException e) {
            throw new UserError(UserError.FAILED, configFile + ": cannot read the config (" + e.getMessage() + ")");
        }
    }

    /** An editor for text not read from disk, as if it were the content of configFile (whose name gives the format). */
    public static ConfigEditor of(Path configFile, String text) {
        return new ConfigEditor(configFile, text, List.of());
    }

    public Path file() {
        return file;
    }

    /** The config as it stands after the edits made so far. */
    public String text() {
        return text;
    }

    /** One line per edit made since the file was opened, such as "add node pg4 to cluster main". */
    public List<String> changes() {
        return changes;
    }

    /** The edits made since the file was opened, in one line: "keep only cluster main ...; rename group demo to copy". */
    public String description() {
        return String.join("; ", changes);
    }

    // Edits

    /** Appends a node to the cluster's nodes; size is the name of a catalog size, or null to write no size. */
    public ConfigEditor addNode(String cluster, String node, String size) {
        return addNode(cluster, node, size, null);
    }

    /**
     * Appends a node to the cluster's nodes.
     *
     * @param size the name of a catalog size, or null to write no size
     * @param host the server it runs on (ssh platform), or null to write no host
     */
    public ConfigEditor addNode(String cluster, String node, String size, String host) {
        int clusterIndex = clusterIndex(cluster);
        requireNewNodeNames(List.of(node));
        if (size != null) {
            requireSize(size);
        }
        String change = "add node " + node + (size == null ? "" : " (" + size + ")") + (host == null ? "" : " on " + host)
                + " to cluster " + cluster;
        Located nodes = nodeList(clusters().get(clusterIndex));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", node);
        if (host != null) {
            values.put("host", host);
        }
        if (size != null) {
            values.put("size", size);
        }
        List<String> keys = keyOrder(List.copyOf(values.keySet()), last(nodes.items()));
        if (json) {
            return next(editedJson(tree -> nodeArray(tree, clusterIndex).add(nodeObject(values, keys))), change);
        }
        List<String> entries = keys.stream().map(key -> key + ": " + scalar(values.get(key))).toList();
        if (nodes.flow()) {
            return next(appendFlowItem(nodes, flowMapping(entries, padded(last(nodes.items())))), change);
        }
        return next(appendBlockItem(nodes, itemLines(itemStyle(nodes), entries)), change);
    }

    /** Removes a node from whichever cluster holds it; refuses an unknown node and the last node of a cluster. */
    public ConfigEditor removeNode(String node) {
        int[] place = nodePlace(node);
        Located cluster = clusters().get(place[0]);
        if (nodeList(cluster).items().size() == 1) {
            throw new IllegalArgumentException("cannot remove node '" + node + "': it is the only node of cluster '"
                    + cluster.name() + "', and a cluster needs at least one node; add another node first"
                    + (clusters().size() > 1 ? ", or remove the cluster" : ""));
        }
        return next(withoutNode(place[0], place[1]), "remove node " + node + " from cluster " + cluster.name());
    }

    /** Sets the size of one node to a catalog size, adding a size key if it has none. */
    public ConfigEditor setNodeSize(String node, String size) {
        int[] place = nodePlace(node);
        requireSize(size);
        String resized = withSize(place[0], place[1], size);
        return next(resized, resized.equals(text) ? "node " + node + " already has size " + size
                : "resize node " + node + " to " + size);
    }

    /** Sets the size of every node of the cluster to a catalog size, adding a size key where a node has none. */
    public ConfigEditor setClusterSize(String cluster, String size) {
        int clusterIndex = clusterIndex(cluster);
        requireSize(size);
        List<String> nodes = nodeNames(clusters().get(clusterIndex));
        ConfigEditor current = this;
        for (int nodeIndex = 0; nodeIndex < nodes.size(); nodeIndex++) {
            current = current.replaced(current.withSize(clusterIndex, nodeIndex, size));
        }
        return next(current.text, current.text.equals(text) ? "every node of cluster " + cluster + " already has size "
                + size : "resize cluster " + cluster + " (" + String.join(", ", nodes) + ") to " + size);
    }

    /** Appends a cluster with these nodes (no sizes: they take the group's default); location may be null. */
    public ConfigEditor addCluster(String name, String location, List<String> nodes) {
        requireName(name, "cluster");
        if (clusterNames().contains(name)) {
            throw new IllegalArgumentException("cluster '" + name + "' already exists in group " + groupName()
                    + "; give each cluster a name of its own");
        }
        if (location != null && location.isBlank()) {
            throw new IllegalArgumentException("the location of cluster '" + name + "' is empty; name a place such "
                    + "as dc2, or leave it out to use the cluster's name");
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("cluster '" + name + "' needs at least one node; name one");
        }
        requireNewNodeNames(nodes);
        String change = "add cluster " + name + (location == null ? "" : " in " + location) + " with node"
                + (nodes.size() == 1 ? " " : "s ") + String.join(", ", nodes);
        if (json) {
            Located neighbour = last(clusters());
            List<String> nodeKeys = nodeKeys(null, last(nodeList(neighbour).items()));
            return next(editedJson(tree -> {
                ObjectNode cluster = clusterArray(tree).addObject();
                for (String key : clusterKeys(location, neighbour)) {
                    switch (key) {
                        case "name" -> cluster.put("name", name);
                        case "location" -> cluster.put("location", location);
                        default -> {
                            ArrayNode array = cluster.putArray("nodes");
                            nodes.forEach(node -> array.add(nodeObject(node, null, nodeKeys)));
                        }
                    }
                }
            }), change);
        }
        return next(appendCluster(name, location, nodes), change);
    }

    /** Removes a cluster and its nodes; refuses an unknown cluster and the group's only cluster. */
    public ConfigEditor removeCluster(String name) {
        int clusterIndex = clusterIndex(name);
        if (clusters().size() == 1) {
            throw new IllegalArgumentException("cannot remove cluster '" + name + "': it is the only cluster of group "
                    + groupName() + ", and a group needs at least one; to take the whole group down, run `tpa destroy`");
        }
        List<String> nodes = nodeNames(clusters().get(clusterIndex));
        return next(withoutCluster(clusterIndex), "remove cluster " + name + " and its node"
                + (nodes.size() == 1 ? " " : "s ") + String.join(", ", nodes));
    }

    /** Gives the group a new name (for fork). */
    public ConfigEditor renameGroup(String name) {
        requireName(name, "group");
        String change = "rename group " + groupName() + " to " + name;
        if (json) {
            return next(editedJson(tree -> tree.put("name", name)), change);
        }
        Located current = root.get("name");
        if (current == null || current.kind() != Kind.SCALAR) {
            throw new IllegalArgumentException(file.getFileName() + " has no group name to change; add name: "
                    + name + " at the top");
        }
        return next(replaceScalar(current, name), change);
    }

    /**
     * Reduces the config to one cluster with only these nodes, all in that cluster (for fork, with
     * {@link #renameGroup}); everything else in the file is kept.
     */
    public ConfigEditor keepOnly(String cluster, List<String> nodes) {
        int clusterIndex = clusterIndex(cluster);
        List<String> present = nodeNames(clusters().get(clusterIndex));
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("keep at least one node of cluster '" + cluster + "'; its nodes are "
                    + String.join(", ", present));
        }
        Set<String> seen = new HashSet<>();
        for (String node : nodes) {
            if (!present.contains(node)) {
                throw new IllegalArgumentException("node '" + node + "' is not in cluster '" + cluster
                        + "'; its nodes are " + String.join(", ", present));
            }
            if (!seen.add(node)) {
                throw new IllegalArgumentException("node '" + node + "' is named twice; name each node once");
            }
        }
        ConfigEditor current = this;
        for (int index = clusters().size() - 1; index >= 0; index--) {
            if (index != clusterIndex) {
                current = current.replaced(current.withoutCluster(index));
            }
        }
        for (int index = present.size() - 1; index >= 0; index--) {
            if (!nodes.contains(present.get(index))) {
                current = current.replaced(current.withoutNode(0, index));
            }
        }
        List<String> kept = present.stream().filter(nodes::contains).toList();
        return next(current.text, "keep only cluster " + cluster + " and its node" + (kept.size() == 1 ? " " : "s ")
                + String.join(", ", kept));
    }

    /** Writes the text to the file it was read from, atomically, keeping the file's mode. */
    public void save() {
        saveAs(file);
    }

    /** Writes the text to target atomically, keeping target's mode if it exists, else the mode of the file read. */
    public void saveAs(Path target) {
        Path destination = target;
        try {
            if (Files.isSymbolicLink(destination)) {
                destination = destination.toRealPath();
            }
            Path directory = destination.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Set<PosixFilePermission> mode = mode(Files.exists(destination) ? destination : file);
            Path temporary = Files.createTempFile(directory, "." + destination.getFileName(), ".tmp");
            try {
                Files.writeString(temporary, text);
                if (mode != null) {
                    Files.setPosixFilePermissions(temporary, mode);
                }
                Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UserError(UserError.FAILED, "cannot write " + target + " (" + e.getMessage()
                    + "); check that you may write to its directory");
        }
    }

    private static Set<PosixFilePermission> mode(Path path) throws IOException {
        try {
            return Files.exists(path) ? Files.getPosixFilePermissions(path) : PosixFilePermissions.fromString("rw-r--r--");
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    // Edits that both formats share: each returns the new text, without checks

    private String withoutNode(int clusterIndex, int nodeIndex) {
        if (json) {
            return editedJson(tree -> nodeArray(tree, clusterIndex).remove(nodeIndex));
        }
        return removeItem(nodeList(clusters().get(clusterIndex)), nodeIndex);
    }

    private String withoutCluster(int clusterIndex) {
        if (json) {
            return editedJson(tree -> clusterArray(tree).remove(clusterIndex));
        }
        return removeItem(clusterList(), clusterIndex);
    }

    private String withSize(int clusterIndex, int nodeIndex, String size) {
        Located node = nodeList(clusters().get(clusterIndex)).items().get(nodeIndex);
        Field existing = node.field("size");
        if (existing != null && size.equals(existing.value().scalar())) {
            return text;
        }
        if (json) {
            return editedJson(tree -> ((ObjectNode) nodeArray(tree, clusterIndex).get(nodeIndex)).put("size", size));
        }
        if (existing != null) {
            Located value = existing.value();
            if (value.kind() == Kind.SCALAR) {
                return replaceScalar(value, size);
            }
            if (value.flow()) {
                return splice(value.start(), value.end(), scalar(size));
            }
            int colon = text.indexOf(':', existing.keyEnd());
            return splice(colon + 1, lines.end(lines.lineOf(value.end())), " " + scalar(size));
        }
        Located lastValue = last(node.fields()).value();
        if (node.flow()) {
            return splice(lastValue.end(), lastValue.end(), ", size: " + scalar(size));
        }
        return insertLines(lines.lineOf(lastValue.end()), List.of(" ".repeat(column(node.start())) + "size: "
                + scalar(size)));
    }

    // YAML: clusters and nodes written like their neighbours

    private String appendCluster(String name, String location, List<String> nodes) {
        Located clusters = clusterList();
        Located neighbour = last(clusters.items());
        Located neighbourNodes = nodeList(neighbour);
        List<String> nodeKeys = nodeKeys(null, last(neighbourNodes.items()));
        boolean flowCluster = clusters.flow() || neighbour.flow();
        ItemStyle style = clusters.flow() ? null : itemStyle(clusters);
        List<String> entries = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (String key : clusterKeys(location, neighbour)) {
            String entry = switch (key) {
                case "name" -> "name: " + scalar(name);
                case "location" -> "location: " + scalar(location);
                default -> flowCluster || neighbourNodes.flow() ? "nodes: " + flowNodes(nodes, neighbourNodes, nodeKeys) : null;
            };
            if (flowCluster) {
                entries.add(entry);
            } else if (entry != null) {
                added.add(added.isEmpty() ? style.first(entry) : style.key(entry));
            } else {
                added.add(added.isEmpty() ? style.first("nodes:") : style.key("nodes:"));
                int shift = style.keyColumn() - column(neighbour.field("nodes").keyStart());
                ItemStyle nodeStyle = itemStyle(neighbourNodes).shifted(shift);
                nodes.forEach(node -> added.addAll(itemLines(nodeStyle, nodeEntries(node, null, nodeKeys))));
            }
        }
        if (!flowCluster) {
            return appendBlockItem(clusters, added);
        }
        String item = flowMapping(entries, padded(neighbour));
        return clusters.flow() ? appendFlowItem(clusters, item) : appendBlockItem(clusters, List.of(style.first(item)));
    }

    /** The nodes as a flow list, written like the neighbouring nodes list (padding inside brackets and braces). */
    private String flowNodes(List<String> nodes, Located neighbourNodes, List<String> keys) {
        boolean padItems = padded(last(neighbourNodes.items()));
        List<String> items = nodes.stream().map(node -> flowMapping(nodeEntries(node, null, keys), padItems)).toList();
        String pad = padded(neighbourNodes) ? " " : "";
        return "[" + pad + String.join(", ", items) + pad + "]";
    }

    /** The keys of a new cluster, in the order its neighbour writes them. */
    private static List<String> clusterKeys(String location, Located neighbour) {
        return keyOrder(location == null ? List.of("name", "nodes") : List.of("name", "location", "nodes"), neighbour);
    }

    /** The keys of a new node, in the order its neighbour writes them. */
    /**
     * Keys (given in their usual order) in the order a neighbouring item writes them; a key the neighbour lacks
     * goes right after the key that usually precedes it.
     */
    private static List<String> keyOrder(List<String> keys, Located neighbour) {
        List<String> order = new ArrayList<>(neighbour.fields().stream().map(Field::key).filter(keys::contains).toList());
        for (int index = 0; index < keys.size(); index++) {
            String key = keys.get(index);
            if (!order.contains(key)) {
                order.add(index == 0 ? 0 : order.indexOf(keys.get(index - 1)) + 1, key);
            }
        }
        return order;
    }

    /** An item of a block list: its first entry after the dash, the others under it; or one flow mapping. */
    private static List<String> itemLines(ItemStyle style, List<String> entries) {
        if (style.flowItems()) {
            return List.of(style.first(flowMapping(entries, style.padded())));
        }
        List<String> added = new ArrayList<>();
        added.add(style.first(entries.get(0)));
        entries.subList(1, entries.size()).forEach(entry -> added.add(style.key(entry)));
        return added;
    }

    private static String flowMapping(List<String> entries, boolean padded) {
        String pad = padded ? " " : "";
        return "{" + pad + String.join(", ", entries) + pad + "}";
    }

    /** How the items of a block list are written: the dash's column, the column of their keys, flow or block. */
    private record ItemStyle(int dashColumn, int keyColumn, boolean flowItems, boolean padded) {
        ItemStyle shifted(int columns) {
            return new ItemStyle(dashColumn + columns, keyColumn + columns, flowItems, padded);
        }

        String first(String content) {
            return " ".repeat(dashColumn) + "-" + " ".repeat(keyColumn - dashColumn - 1) + content;
        }

        String key(String content) {
            return " ".repeat(keyColumn) + content;
        }
    }

    /** The style of a block list's last item, which new items copy. */
    private ItemStyle itemStyle(Located sequence) {
        Located item = last(sequence.items());
        int dashColumn = column(dashOf(item));
        return new ItemStyle(dashColumn, Math.max(column(item.start()), dashColumn + 2), item.flow(), padded(item));
    }

    // YAML: items of lists

    /** The lines an item of a block list spans, with the comments that belong to it. */
    private record Extent(int first, int last) {
    }

    private Extent extent(Located sequence, int index) {
        Located item = sequence.items().get(index);
        int dash = dashOf(item);
        int dashColumn = column(dash);
        int first = lines.lineOf(dash);
        if (index > 0 || otherItemsHaveComments(sequence)) {
            first -= leadingComments(dash);
        }
        int last = lines.lineOf(item.end());
        while (last + 1 < lines.count() && lines.comment(last + 1) && lines.indent(last + 1) > dashColumn) {
            last++;
        }
        return new Extent(first, last);
    }

    /** How many comment lines stand directly above the dash, at the dash's column. */
    private int leadingComments(int dash) {
        int line = lines.lineOf(dash);
        int count = 0;
        while (line - count > 0 && lines.comment(line - count - 1) && lines.indent(line - count - 1) == column(dash)) {
            count++;
        }
        return count;
    }

    /**
     * Whether items after the first carry comments of their own: then so does the first, otherwise the comments
     * above the first item describe the whole list (as in the file {@code tpa init} writes).
     */
    private boolean otherItemsHaveComments(Located sequence) {
        return sequence.items().stream().skip(1).anyMatch(item -> leadingComments(dashOf(item)) > 0);
    }

    /** Where the dash of a block list's item is: before its content, on its line or alone on a line above. */
    private int dashOf(Located item) {
        int position = item.start() - 1;
        while (position >= 0) {
            char character = text.charAt(position);
            if (character == '-') {
                return position;
            }
            if (character == '\n') {
                int line = lines.lineOf(position);
                int comment = lines.content(line).indexOf('#');
                position = (comment >= 0 ? lines.start(line) + comment : position) - 1;
            } else if (character == ' ' || character == '\t' || character == '\r') {
                position--;
            } else {
                break;
            }
        }
        throw new IllegalStateException(file + ":" + (lines.lineOf(item.start()) + 1) + ": no dash before this list item");
    }

    private String removeItem(Located sequence, int index) {
        return sequence.flow() ? removeFlowItem(sequence, index) : removeBlockItem(sequence, index);
    }

    private String removeBlockItem(Located sequence, int index) {
        Extent extent = extent(sequence, index);
        int first = extent.first();
        int last = extent.last();
        boolean blankBefore = first > 0 && lines.blank(first - 1);
        boolean blankAfter = last + 1 < lines.count() && lines.blank(last + 1);
        if (blankAfter && (blankBefore || index == 0)) {
            last++;
        } else if (blankBefore && index == sequence.items().size() - 1) {
            first--;
        }
        return removeLines(first, last);
    }

    private String appendBlockItem(Located sequence, List<String> itemLines) {
        List<Located> items = sequence.items();
        Extent last = extent(sequence, items.size() - 1);
        List<String> added = new ArrayList<>();
        if (items.size() > 1 && last.first() > 0 && lines.blank(last.first() - 1)) {
            added.add("");
        }
        added.addAll(itemLines);
        return insertLines(last.last(), added);
    }

    private String removeFlowItem(Located sequence, int index) {
        List<Located> items = sequence.items();
        Located item = items.get(index);
        boolean lastItem = index == items.size() - 1;
        int first = lines.lineOf(item.start());
        int last = lines.lineOf(item.end());
        int following = lastItem ? sequence.end() - 1 : items.get(index + 1).start();
        boolean ownLines = first > lines.lineOf(sequence.start())
                && text.substring(lines.start(first), item.start()).isBlank()
                && lines.lineOf(following) > last;
        if (!ownLines) {
            return lastItem ? splice(items.get(index - 1).end(), item.end(), "") : splice(item.start(), following, "");
        }
        String removed = removeLines(first, last);
        if (lastItem && commaAfter(item.end()) < 0) {
            int comma = commaAfter(items.get(index - 1).end());
            removed = removed.substring(0, comma) + removed.substring(comma + 1);
        }
        return removed;
    }

    /** Where the comma right after a flow item is (spaces aside), or -1 when there is none. */
    private int commaAfter(int offset) {
        int position = offset;
        while (position < text.length() && (text.charAt(position) == ' ' || text.charAt(position) == '\t')) {
            position++;
        }
        return position < text.length() && text.charAt(position) == ',' ? position : -1;
    }

    private String appendFlowItem(Located sequence, String item) {
        Located last = last(sequence.items());
        int line = lines.lineOf(last.start());
        String indentation = text.substring(lines.start(line), last.start());
        boolean ownLine = line > lines.lineOf(sequence.start()) && indentation.isBlank();
        return splice(last.end(), last.end(), ownLine ? "," + newline + indentation + item : ", " + item);
    }

    // YAML: text

    /** Replaces a scalar, keeping its quotes if it had any. */
    private String replaceScalar(Located value, String replacement) {
        char opening = text.charAt(value.start());
        String written = opening == '"' ? doubleQuoted(replacement)
                : opening == '\'' ? "'" + replacement.replace("'", "''") + "'"
                : scalar(replacement);
        return splice(value.start(), value.end(), written);
    }

    /** A string as YAML reads it back as that string: plain when it can be, else double-quoted. */
    private static String scalar(String value) {
        return PLAIN.matcher(value).matches() && !NOT_A_STRING.matcher(value).matches() ? value : doubleQuoted(value);
    }

    private static String doubleQuoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Inserts whole lines after a line, keeping whether the file ends with a newline. */
    private String insertLines(int after, List<String> added) {
        String block = String.join(newline, added);
        if (lines.terminated(after)) {
            return splice(lines.next(after), lines.next(after), block + newline);
        }
        return splice(text.length(), text.length(), newline + block);
    }

    /** Removes whole lines, keeping whether the file ends with a newline. */
    private String removeLines(int first, int last) {
        int from = lines.start(first);
        if (!lines.terminated(last) && first > 0) {
            from = lines.end(first - 1);
        }
        return splice(from, lines.next(last), "");
    }

    private String splice(int from, int to, String replacement) {
        return text.substring(0, from) + replacement + text.substring(to);
    }

    private int column(int offset) {
        return offset - lines.start(lines.lineOf(offset));
    }

    private boolean padded(Located collection) {
        return collection.flow() && collection.start() + 1 < text.length() && text.charAt(collection.start() + 1) == ' ';
    }

    // JSON

    private String editedJson(Consumer<ObjectNode> edit) {
        try {
            ObjectNode tree = (ObjectNode) Json.JSON.readTree(text);
            boolean initLayout = write(tree, new DefaultPrettyPrinter()).strip().equals(text.strip());
            edit.accept(tree);
            return write(tree, initLayout ? new DefaultPrettyPrinter() : commonLayout()) + (text.endsWith("\n") ? "\n" : "");
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": cannot edit the config, it is not valid JSON; `tpa plan` shows the problem");
        }
    }

    private static String write(ObjectNode tree, PrettyPrinter printer) throws JsonProcessingException {
        return Json.JSON.writer(printer).writeValueAsString(tree);
    }

    /** {@code "key": value}, every list item and key on its own line, two spaces a level, {@code []} and {@code {}}. */
    private static PrettyPrinter commonLayout() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    private static ArrayNode clusterArray(ObjectNode tree) {
        return (ArrayNode) tree.get("clusters");
    }

    private static ArrayNode nodeArray(ObjectNode tree, int clusterIndex) {
        return (ArrayNode) clusterArray(tree).get(clusterIndex).get("nodes");
    }

    private static List<String> nodeKeys(String size, Located neighbour) {
        return keyOrder(size == null ? List.of("name") : List.of("name", "size"), neighbour);
    }

    private static List<String> nodeEntries(String node, String size, List<String> keys) {
        return keys.stream().map(key -> key + ": " + scalar(key.equals("name") ? node : size)).toList();
    }

    private static ObjectNode nodeObject(String name, String size, List<String> keys) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("size", size);
        return nodeObject(values, keys);
    }

    private static ObjectNode nodeObject(Map<String, String> values, List<String> keys) {
        ObjectNode node = Json.JSON.createObjectNode();
        keys.forEach(key -> node.put(key, values.get(key)));
        return node;
    }

    // The group, as written

    private String groupName() {
        return Objects.requireNonNullElse(root.name(), "(unnamed)");
    }

    private Located clusterList() {
        Located clusters = root.get("clusters");
        if (clusters == null || clusters.kind() != Kind.SEQUENCE || clusters.items().isEmpty()) {
            throw new IllegalArgumentException(file.getFileName() + " lists no clusters; fix the config first "
                    + "(`tpa plan` shows the problem)");
        }
        return clusters;
    }

    private List<Located> clusters() {
        return clusterList().items();
    }

    private Located nodeList(Located cluster) {
        Located nodes = cluster.get("nodes");
        if (nodes == null || nodes.kind() != Kind.SEQUENCE || nodes.items().isEmpty()) {
            throw new IllegalArgumentException(file.getFileName() + ": cluster " + cluster.name() + " lists no nodes; "
                    + "fix the config first (`tpa plan` shows the problem)");
        }
        return nodes;
    }

    private List<String> clusterNames() {
        return clusters().stream().map(Located::name).toList();
    }

    private List<String> nodeNames(Located cluster) {
        return nodeList(cluster).items().stream().map(Located::name).toList();
    }

    private int clusterIndex(String name) {
        int index = clusterNames().indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("there is no cluster '" + name + "' in group " + groupName()
                    + "; its clusters are " + String.join(", ", clusterNames()));
        }
        return index;
    }

    /** The cluster's index and the node's index in it. */
    private int[] nodePlace(String name) {
        List<String> all = new ArrayList<>();
        for (int clusterIndex = 0; clusterIndex < clusters().size(); clusterIndex++) {
            List<String> nodes = nodeNames(clusters().get(clusterIndex));
            if (nodes.contains(name)) {
                return new int[] {clusterIndex, nodes.indexOf(name)};
            }
            all.addAll(nodes);
        }
        throw new IllegalArgumentException("there is no node '" + name + "' in group " + groupName()
                + "; its nodes are " + String.join(", ", all));
    }

    private void requireNewNodeNames(List<String> names) {
        Set<String> taken = new HashSet<>();
        for (Located cluster : clusters()) {
            for (Located node : nodeList(cluster).items()) {
                taken.add(node.name());
            }
        }
        Set<String> named = new HashSet<>();
        for (String name : names) {
            requireName(name, "node");
            if (taken.contains(name)) {
                throw new IllegalArgumentException("node '" + name + "' already exists in group " + groupName()
                        + "; node names are host names, so each must be unique in the group");
            }
            if (!named.add(name)) {
                throw new IllegalArgumentException("node '" + name + "' is named twice; name each node once");
            }
        }
    }

    private static void requireName(String name, String noun) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid " + noun + " name; " + NAME_RULE);
        }
    }

    private static void requireSize(String size) {
        Map<String, SizeSpec> sizes = Catalog.load().sizes();
        if (size == null || !sizes.containsKey(size)) {
            List<String> names = sizes.values().stream()
                    .sorted(Comparator.comparing(SizeSpec::cpus).thenComparing(SizeSpec::memoryGb)
                            .thenComparing(SizeSpec::diskGb))
                    .map(SizeSpec::name).toList();
            throw new IllegalArgumentException("unknown size '" + size + "'; sizes: " + String.join(", ", names));
        }
    }

    private ConfigEditor next(String newText, String change) {
        List<String> all = new ArrayList<>(changes);
        all.add(change);
        return new ConfigEditor(file, newText, all);
    }

    /** A step of a larger edit: the new text, and no description of its own. */
    private ConfigEditor replaced(String newText) {
        return new ConfigEditor(file, newText, changes);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    // Parsing: every value with where it starts and ends

    private enum Kind { MAPPING, SEQUENCE, SCALAR }

    private record Field(String key, int keyStart, int keyEnd, Located value) {
    }

    /**
     * A parsed value and where it stands in the text: start and end are character offsets. A block mapping starts
     * at its first key and a block list at its first dash; both end where their last value ends. A flow
     * collection runs from its opening to past its closing bracket.
     */
    private record Located(Kind kind, int start, int end, boolean flow, String scalar, List<Field> fields,
            List<Located> items) {
        Field field(String key) {
            return fields.stream().filter(field -> field.key().equals(key)).findFirst().orElse(null);
        }

        Located get(String key) {
            Field field = field(key);
            return field == null ? null : field.value();
        }

        String name() {
            Located name = get("name");
            return name == null ? null : name.scalar();
        }
    }

    private Located parse() {
        try (JsonParser parser = (json ? Json.JSON.getFactory() : YAML).createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new UserError(file + ": cannot edit the config, it does not start with a mapping; `tpa plan` "
                        + "shows the problem");
            }
            return read(parser, new Offsets(text, json));
        } catch (IOException e) {
            throw new UserError(file + ": cannot edit the config, it is not valid " + (json ? "JSON" : "YAML")
                    + "; `tpa plan` shows the problem");
        }
    }

    private Located read(JsonParser parser, Offsets offsets) throws IOException {
        JsonToken token = parser.currentToken();
        int start = offsets.of(parser.currentTokenLocation());
        if (token == JsonToken.START_OBJECT) {
            List<Field> fields = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyStart = offsets.of(parser.currentTokenLocation());
                int keyEnd = offsets.of(parser.currentLocation());
                parser.nextToken();
                fields.add(new Field(key, keyStart, keyEnd, read(parser, offsets)));
            }
            boolean flow = json || opens(start, '{');
            int end = flow || fields.isEmpty() ? offsets.of(parser.currentLocation()) : last(fields).value().end();
            return new Located(Kind.MAPPING, start, end, flow, null, List.copyOf(fields), List.of());
        }
        if (token == JsonToken.START_ARRAY) {
            List<Located> items = new ArrayList<>();
            for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                if (next == null) {
                    throw new IOException("unexpected end of input");
                }
                items.add(read(parser, offsets));
            }
            boolean flow = json || opens(start, '[');
            int end = flow || items.isEmpty() ? offsets.of(parser.currentLocation()) : last(items).end();
            return new Located(Kind.SEQUENCE, start, end, flow, null, List.of(), List.copyOf(items));
        }
        String scalar = token == JsonToken.VALUE_NULL ? null : parser.getText();
        return new Located(Kind.SCALAR, start, offsets.of(parser.currentLocation()), false, scalar, List.of(), List.of());
    }

    private boolean opens(int offset, char bracket) {
        return offset < text.length() && text.charAt(offset) == bracket;
    }

    /** Turns the parser's offsets into character offsets: the YAML parser counts code points, not chars. */
    private static final class Offsets {
        private final int[] characters;

        Offsets(String text, boolean json) {
            int count = json ? text.length() : text.codePointCount(0, text.length());
            characters = new int[count + 1];
            int offset = 0;
            for (int index = 0; index < count; index++) {
                characters[index] = offset;
                offset += json ? 1 : Character.charCount(text.codePointAt(offset));
            }
            characters[count] = offset;
        }

        int of(JsonLocation location) {
            long index = Math.max(0, Math.min(location.getCharOffset(), characters.length - 1));
            return characters[(int) index];
        }
    }

    /** The lines of the text: where each starts and ends (without its line break). */
    private static final class Lines {
        private final String text;
        private final int[] starts;

        Lines(String text) {
            this.text = text;
            List<Integer> found = new ArrayList<>();
            found.add(0);
            for (int index = text.indexOf('\n'); index >= 0 && index + 1 < text.length(); index = text.indexOf('\n', index + 1)) {
                found.add(index + 1);
            }
            starts = found.stream().mapToInt(Integer::intValue).toArray();
        }

        int count() {
            return starts.length;
        }

        int lineOf(int offset) {
            int low = 0;
            int high = starts.length - 1;
            while (low < high) {
                int middle = (low + high + 1) / 2;
                if (starts[middle] <= offset) {
                    low = middle;
                } else {
                    high = middle - 1;
                }
            }
            return low;
        }

        int start(int line) {
            return starts[line];
        }

        /** Where the next line starts, or the end of the text. */
        int next(int line) {
            return line + 1 < starts.length ? starts[line + 1] : text.length();
        }

        int end(int line) {
            int end = next(line);
            if (end > starts[line] && text.charAt(end - 1) == '\n') {
                end--;
            }
            if (end > starts[line] && text.charAt(end - 1) == '\r') {
                end--;
            }
            return end;
        }

        boolean terminated(int line) {
            return next(line) > end(line);
        }

        String content(int line) {
            return text.substring(start(line), end(line));
        }

        boolean blank(int line) {
            return content(line).isBlank();
        }

        boolean comment(int line) {
            return content(line).strip().startsWith("#");
        }

        int indent(int line) {
            String content = content(line);
            return content.length() - content.stripLeading().length();
        }
    }
}
