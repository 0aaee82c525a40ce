package io.tpa.operation.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tpa.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Moves a cluster to the head of the config's {@code clusters} list (the config's first cluster is the
 * primary cluster), touching only those lines: each cluster moves with the comment lines just above its
 * dash; comment lines above the first cluster describe the list and stay first. JSON is parsed and
 * written again. The result is read back and checked; a layout this cannot move safely is refused.
 */
final class ClusterOrder {
    private static final Pattern CLUSTERS_KEY = Pattern.compile("^clusters:\\s*(#.*)?$");

    private ClusterOrder() {
    }

    /** The config text with that cluster first. */
    static String first(String text, boolean json, String cluster) {
        String moved = json ? firstInJson(text, cluster) : firstInYaml(text, cluster);
        List<String> expected = new ArrayList<>(names(text, json));
        expected.remove(cluster);
        expected.add(0, cluster);
        if (!names(moved, json).equals(expected)) {
            throw new IllegalArgumentException("cannot move cluster " + cluster + " first in this config's layout; "
                    + "move its entry to the top of clusters: by hand, then run `tpa apply`");
        }
        return moved;
    }

    static List<String> names(String text, boolean json) {
        try {
            JsonNode tree = (json ? Json.JSON : Json.YAML).readTree(text);
            List<String> names = new ArrayList<>();
            tree.path("clusters").forEach(c -> names.add(c.path("name").asText()));
            return names;
        } catch (IOException e) {
            throw new IllegalArgumentException("the config cannot be read: " + e.getMessage());
        }
    }

    private static String firstInJson(String text, String cluster) {
        try {
            ObjectNode root = (ObjectNode) Json.JSON.readTree(text);
            ArrayNode clusters = (ArrayNode) root.get("clusters");
            for (int i = 0; i < clusters.size(); i++) {
                if (clusters.get(i).path("name").asText().equals(cluster)) {
                    JsonNode moved = clusters.remove(i);
                    clusters.insert(0, moved);
                    break;
                }
            }
            return Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("the config cannot be read: " + e.getMessage());
        }
    }

    private static String firstInYaml(String text, String cluster) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int key = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (CLUSTERS_KEY.matcher(lines.get(i)).matches()) {
                key = i;
                break;
            }
        }
        if (key < 0) {
            return text; // a flow list or another layout: the check in first() refuses it
        }
        int end = key + 1;
        while (end < lines.size() && (lines.get(end).isBlank() || Character.isWhitespace(lines.get(end).charAt(0))
                || lines.get(end).startsWith("#") || lines.get(end).startsWith("-"))) {
            end++;
        }
        int dashColumn = -1;
        List<Integer> starts = new ArrayList<>();
        for (int i = key + 1; i < end; i++) {
            String line = lines.get(i);
            String stripped = line.strip();
            int indent = line.length() - line.stripLeading().length();
            if (stripped.startsWith("-") && (dashColumn < 0 || indent == dashColumn)) {
                dashColumn = indent;
                starts.add(i);
            }
        }
        if (starts.isEmpty()) {
            return text;
        }
        // Comment lines just above a dash (at its column) go with that item, except above the first one.
        List<Integer> spanStarts = new ArrayList<>();
        for (int index = 0; index < starts.size(); index++) {
            int start = starts.get(index);
            if (index > 0) {
                while (start - 1 > starts.get(index - 1) && isCommentAt(lines.get(start - 1), dashColumn)) {
                    start--;
                }
            }
            spanStarts.add(start);
        }
        // The last item ends before trailing blank or comment lines of the block that belong to what follows.
        int blockEnd = end;
        while (blockEnd - 1 > starts.get(starts.size() - 1) && lines.get(blockEnd - 1).isBlank()) {
            blockEnd--;
        }
        List<List<String>> items = new ArrayList<>();
        for (int index = 0; index < spanStarts.size(); index++) {
            int to = index + 1 < spanStarts.size() ? spanStarts.get(index + 1) : blockEnd;
            items.add(new ArrayList<>(lines.subList(spanStarts.get(index), to)));
        }
        List<String> order = names(text, false);
        int chosen = order.indexOf(cluster);
        if (items.size() != order.size() || chosen <= 0) {
            return text;
        }
        // Blank lines between items stay between items: the moved item takes the first item's separator.
        List<String> moving = items.remove(chosen);
        List<String> separator = new ArrayList<>();
        while (!moving.isEmpty() && moving.get(moving.size() - 1).isBlank()) {
            moving.remove(moving.size() - 1);
        }
        List<String> formerFirst = items.get(0);
        for (int i = formerFirst.size() - 1; i >= 0 && formerFirst.get(i).isBlank(); i--) {
            separator.add("");
        }
        List<String> result = new ArrayList<>(lines.subList(0, spanStarts.get(0)));
        result.addAll(moving);
        result.addAll(separator);
        List<String> last = items.get(items.size() - 1);
        while (!last.isEmpty() && last.get(last.size() - 1).isBlank()) {
            last.remove(last.size() - 1);
        }
        items.forEach(result::addAll);
        result.addAll(lines.subList(blockEnd, lines.size()));
        return String.join("\n", result);
    }

    private static boolean isCommentAt(String line, int column) {
        return line.strip().startsWith("#") && line.length() - line.stripLeading().length() == column;
    }
}
