package io.tpa.ui;

import java.util.List;

/** HTML text written by hand: every value goes through {@link #escape}; one layout for every page. */
final class Html {
    static final String HTMX = "/webjars/htmx.org/2.0.4/dist/htmx.min.js";

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
            header{background:#1d3557;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:baseline}
            header a{color:#fff;text-decoration:none}header .brand{font-weight:700;font-size:1.1rem}
            main{padding:1rem 1.4rem;max-width:1100px}
            h1{font-size:1.4rem;margin:.2rem 0 .8rem}h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
            table{border-collapse:collapse;background:#fff;margin:.3rem 0 1rem}
            th,td{border:1px solid #d5dae1;padding:.25rem .6rem;text-align:left;font-size:.92rem}
            th{background:#eef1f5}td.amount,th.amount{text-align:right;font-variant-numeric:tabular-nums}
            tr.total td{font-weight:600;background:#f3f5f8}
            pre{background:#fff;border:1px solid #d5dae1;padding:.6rem;overflow:auto;font-size:.85rem;max-height:32rem}
            .badge{display:inline-block;padding:.05rem .5rem;border-radius:.6rem;font-size:.85rem;color:#fff}
            .healthy{background:#2a9d5c}.degraded{background:#e09f1f}.down,.failed{background:#c0392b}.undeployed{background:#8793a3}
            .running{background:#2b6cb0}.succeeded{background:#2a9d5c}
            .error{border:1px solid #c0392b;background:#fdecea;color:#8a1c12;padding:.5rem .8rem;margin:.5rem 0}
            .note{color:#56606d;font-size:.88rem}
            nav.actions a,button{margin-right:.6rem}
            button{background:#1d3557;color:#fff;border:0;padding:.4rem .9rem;border-radius:.3rem;cursor:pointer}
            button.danger{background:#c0392b}
            form.inline{display:inline}
            label{display:block;margin:.4rem 0}input,select{padding:.25rem;font-size:.95rem}
            .diff .add{color:#1e7b34}.diff .del{color:#b3261e}.diff .hunk{color:#6f42c1}
            svg text{font-family:system-ui,sans-serif}
            """;

    private Html() {
    }

    static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A whole page: header with the workspace link, a title, the body (already HTML). */
    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + " · tpa</title>"
                + "<style>" + STYLE + "</style><script src=\"" + HTMX + "\"></script></head><body>"
                + "<header><a class=\"brand\" href=\"/\">tpa</a><a href=\"/\">Groups</a><a href=\"/new\">New group</a></header>"
                + "<main><h1>" + escape(title) + "</h1>" + body + "</main></body></html>";
    }

    static String error(String message) {
        return "<div class=\"error\" role=\"alert\">" + escape(message) + "</div>";
    }

    static String badge(String cssClass, String text) {
        return "<span class=\"badge " + escape(cssClass) + "\">" + escape(text) + "</span>";
    }

    static String link(String href, String text) {
        return "<a href=\"" + escape(href) + "\">" + escape(text) + "</a>";
    }

    /** A table of text cells; the header row first. Cells are escaped. */
    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder("<table><tr>");
        header.forEach(cell -> out.append("<th>").append(escape(cell)).append("</th>"));
        out.append("</tr>");
        for (List<String> row : rows) {
            out.append("<tr>");
            row.forEach(cell -> out.append("<td>").append(escape(cell)).append("</td>"));
            out.append("</tr>");
        }
        return out.append("</table>").toString();
    }

    /** A POST form with the session's CSRF field; {@code fields} and {@code button} are HTML. */
    static String postForm(String action, String csrf, String fields, String button) {
        return "<form method=\"post\" action=\"" + escape(action) + "\"><input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + fields + button + "</form>";
    }
}
