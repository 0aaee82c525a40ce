package io.tpa.component;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small JSON-over-HTTPS client for a group's REST APIs (Patroni, etcd): it trusts the group's
 * CA only, presents tpa's client certificate, and authenticates to Patroni's unsafe verbs. Every
 * read has a timeout (the TLS handshake included) and no connection is kept, so a stalled peer
 * costs one timeout, never a hang.
 */
public final class Http {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final SSLSocketFactory sockets;
    private final String authorization;

    /**
     * @param tls         trusts the group's CA and presents tpa's client certificate
     * @param apiUser     Patroni REST API user, or null
     * @param apiPassword its password
     */
    public Http(SSLContext tls, String apiUser, String apiPassword) {
        this.sockets = tls.getSocketFactory();
        this.authorization = apiUser == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((apiUser + ":" + apiPassword).getBytes(StandardCharsets.UTF_8));
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return Json.JSON.readTree(body);
            } catch (IOException e) {
                throw new ComponentException("not JSON: " + body);
            }
        }
    }

    /** The certificate a TLS server presents at this address and port, or null when it does not answer. */
    public java.security.cert.X509Certificate presentedCertificate(String address, int port) {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) sockets.createSocket()) {
            socket.connect(new java.net.InetSocketAddress(address, port), (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
            socket.startHandshake();
            return (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            return null;
        }
    }

    Response get(String url, Duration timeout) {
        return send("GET", url, null, timeout, false);
    }

    /**
     * @param authorize send the Patroni API credentials (never to etcd: its gateway would take them for an etcd token)
     */
    Response send(String method, String url, String jsonBody, Duration timeout, boolean authorize) {
        URI uri = URI.create(url);
        try {
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection) uri.toURL().openConnection();
            if (connection instanceof HttpsURLConnection secure) {
                secure.setSSLSocketFactory(sockets);
            }
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setUseCaches(false);
            connection.setRequestProperty("Connection", "close");
            connection.setRequestMethod(method);
            if (authorization != null && authorize) {
                connection.setRequestProperty("Authorization", authorization);
            }
            if (jsonBody != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(jsonBody.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String body = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            connection.disconnect();
            return new Response(status, body);
        } catch (IOException e) {
            throw new ComponentException(uri.getHost() + ":" + uri.getPort() + " unreachable ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }
}
