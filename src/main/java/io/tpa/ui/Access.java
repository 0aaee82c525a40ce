package io.tpa.ui;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the UI: whoever holds the access token printed at start (as Jupyter does). The first visit with
 * {@code ?token=} opens a session whose id is kept in an HttpOnly, SameSite=Strict cookie; every other request
 * without that cookie gets 401. Every POST also needs the session's CSRF token (a hidden form field) and, when the
 * browser sends one, an Origin that is the UI's own.
 */
final class Access {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final String cookie;
    private final boolean secure;
    private final Map<String, String> csrfBySession = new ConcurrentHashMap<>();

    Access(int port, boolean secure) {
        this.token = random();
        this.cookie = "tpa_ui_session_" + port;
        this.secure = secure;
    }

    String token() {
        return token;
    }

    /** The CSRF token of the request's session (only called after {@link #check}). */
    String csrf(Context context) {
        return csrfBySession.getOrDefault(String.valueOf(context.cookie(cookie)), "");
    }

    /** Runs before every request: lets it through, opens a session, or refuses it. */
    void check(Context context) {
        String given = context.queryParam("token");
        if (given != null && context.method() == HandlerType.GET) {
            if (!same(given, token)) {
                throw new UnauthorizedResponse("tpa ui: wrong access token; open the URL `tpa ui` printed at start");
            }
            String session = random();
            csrfBySession.put(session, random());
            context.header("Set-Cookie", cookie + "=" + session + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
            context.redirect(context.path());
            context.skipRemainingHandlers();
            return;
        }
        String session = context.cookie(cookie);
        if (session == null || !csrfBySession.containsKey(session)) {
            throw new UnauthorizedResponse("tpa ui: no access token; open the URL `tpa ui` printed at start (it ends in ?token=...)");
        }
        if (context.method() == HandlerType.POST) {
            String origin = context.header("Origin");
            String own = (secure ? "https://" : "http://") + context.host();
            if (origin != null && !origin.equals(own)) {
                throw new ForbiddenResponse("tpa ui: request from another site (Origin " + origin + ") refused");
            }
            String csrf = context.formParam("csrf");
            if (csrf == null || !same(csrf, csrfBySession.get(session))) {
                throw new ForbiddenResponse("tpa ui: missing or wrong CSRF token; reload the page and submit the form again");
            }
        }
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
