package io.tpa.ui;

import io.tpa.operation.status.GroupStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * A group's topology as an SVG diagram: a panel per cluster, the primary (or standby leader) on top, its replicas
 * below, an arrow from each replica to the node it streams from, labelled with its lag. Each node links to its page.
 */
final class Topology {
    private static final int BOX_WIDTH = 180;
    private static final int BOX_HEIGHT = 66;
    private static final int GAP = 30;
    private static final int ROW_GAP = 80;
    private static final int TITLE = 26;

    private Topology() {
    }

    static String svg(String group, GroupStatus status) {
        int widest = status.clusters().stream().mapToInt(cluster -> Math.max(1, cluster.nodes().size() - 1)).max().orElse(1);
        int longestTitle = status.clusters().stream().mapToInt(cluster -> title(cluster).length()).max().orElse(0);
        int panelWidth = Math.max(widest * (BOX_WIDTH + GAP) + GAP, longestTitle * 8 + 30);
        int panelHeight = TITLE + BOX_HEIGHT * 2 + ROW_GAP + GAP;
        int height = status.clusters().size() * (panelHeight + GAP);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"topology of group ").append(Html.escape(group))
                .append("\" width=\"").append(panelWidth + 20).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ")
                .append(panelWidth + 20).append(' ').append(height).append("\">")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
                        + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#44505e\"/></marker></defs>");
        int top = 0;
        for (GroupStatus.ClusterStatus cluster : status.clusters()) {
            GroupStatus.NodeStatus leader = cluster.nodes().stream().filter(node -> !node.role().equals("replica")).findFirst().orElse(null);
            String title = title(cluster);
            svg.append("<g class=\"cluster\" data-cluster=\"").append(Html.escape(cluster.name())).append("\">")
                    .append(rect(10, top, panelWidth, panelHeight, "#ffffff", "#b8c2cf", 8))
                    .append(text(22, top + 19, title, 14, "600", leader == null ? "#c0392b" : "#1d3557"));
            List<GroupStatus.NodeStatus> others = new ArrayList<>(cluster.nodes());
            others.remove(leader);
            int leaderX = 10 + (panelWidth - BOX_WIDTH) / 2;
            int leaderY = top + TITLE + 6;
            int rowY = leaderY + BOX_HEIGHT + ROW_GAP;
            int rowWidth = others.size() * (BOX_WIDTH + GAP) - GAP;
            int x = 10 + (panelWidth - rowWidth) / 2;
            for (GroupStatus.NodeStatus node : others) {
                if (leader != null) {
                    int fromX = x + BOX_WIDTH / 2;
                    int toX = leaderX + BOX_WIDTH / 2;
                    svg.append("<line x1=\"").append(fromX).append("\" y1=\"").append(rowY).append("\" x2=\"").append(toX).append("\" y2=\"")
                            .append(leaderY + BOX_HEIGHT).append("\" stroke=\"#44505e\" stroke-width=\"1.6\" marker-end=\"url(#arrow)\"/>");
                    String lag = node.lagBytes() == null ? "lag ?" : "lag " + node.lagBytes() + " B";
                    svg.append(text((fromX + toX) / 2 + 6, (rowY + leaderY + BOX_HEIGHT) / 2 + 4, lag, 12, "400", "#44505e"));
                }
                svg.append(node(group, node, x, rowY));
                x += BOX_WIDTH + GAP;
            }
            if (leader != null) {
                svg.append(node(group, leader, leaderX, leaderY));
            }
            svg.append("</g>");
            top += panelHeight + GAP;
        }
        return svg.append("</svg>").toString();
    }

    /** The panel's title: the cluster, its location, and what is special about it. */
    private static String title(GroupStatus.ClusterStatus cluster) {
        GroupStatus.NodeStatus leader = cluster.nodes().stream().filter(node -> !node.role().equals("replica")).findFirst().orElse(null);
        return "cluster " + cluster.name() + " (" + cluster.location() + ")"
                + (leader != null && leader.role().equals("standby_leader") ? ": standby, its leader replicates from the primary cluster" : "")
                + (leader == null ? ": NO RUNNING PRIMARY" : "");
    }

    private static String node(String group, GroupStatus.NodeStatus node, int x, int y) {
        boolean up = node.state().equals("running") || node.state().equals("streaming");
        String stroke = !up ? "#c0392b" : node.role().equals("replica") ? "#2b6cb0" : "#2a9d5c";
        String fill = !up ? "#fdecea" : node.role().equals("replica") ? "#eef4fb" : "#eaf7ef";
        return "<a href=\"/groups/" + Html.escape(group) + "/nodes/" + Html.escape(node.name()) + "\">"
                + "<g class=\"node\" data-node=\"" + Html.escape(node.name()) + "\" data-role=\"" + Html.escape(node.role()) + "\">"
                + rect(x, y, BOX_WIDTH, BOX_HEIGHT, fill, stroke, 6)
                + text(x + 10, y + 20, node.name(), 15, "700", "#1d2733")
                + text(x + 10, y + 39, node.role() + " · " + node.state(), 13, "400", stroke)
                + text(x + 10, y + 57, node.host() + ":" + node.port(), 12, "400", "#56606d")
                + "</g></a>";
    }

    private static String rect(int x, int y, int width, int height, String fill, String stroke, int radius) {
        return "<rect x=\"" + x + "\" y=\"" + y + "\" width=\"" + width + "\" height=\"" + height + "\" rx=\"" + radius + "\" fill=\""
                + fill + "\" stroke=\"" + stroke + "\" stroke-width=\"1.5\"/>";
    }

    private static String text(int x, int y, String content, int size, String weight, String color) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"" + size + "\" font-weight=\"" + weight + "\" fill=\"" + color + "\">"
                + Html.escape(content) + "</text>";
    }
}
