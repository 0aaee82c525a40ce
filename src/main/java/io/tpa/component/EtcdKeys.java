package io.tpa.component;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.DeployedNode;
import io.tpa.model.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keys in the group's etcd, through its v3 JSON gateway over mutual TLS: what Patroni keeps there,
 * for the times tpa must read or change it while that cluster's Patroni is down (a fenced former
 * primary cluster, a removed cluster's keys). Each call goes to the first member that answers.
 */
public final class EtcdKeys {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final List<DeployedNode> members;
    private final Http http;

    public EtcdKeys(List<DeployedNode> members, Http http) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no etcd member to talk to");
        }
        this.members = List.copyOf(members);
        this.http = http;
    }

    /** The value of a key, if it exists. */
    public Optional<String> get(String key) {
        JsonNode kvs = call("/v3/kv/range", Map.of("key", encode(key))).path("kvs");
        return kvs.isEmpty() ? Optional.empty() : Optional.of(decode(kvs.get(0).path("value").asText()));
    }

    public void put(String key, String value) {
        call("/v3/kv/put", Map.of("key", encode(key), "value", encode(value)));
    }

    /** Every key that starts with {@code prefix}. */
    public List<String> keys(String prefix) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("key", encode(prefix));
        request.put("range_end", encode(prefixEnd(prefix)));
        request.put("keys_only", true);
        List<String> keys = new ArrayList<>();
        call("/v3/kv/range", request).path("kvs").forEach(kv -> keys.add(decode(kv.path("key").asText())));
        return keys;
    }

    /** Deletes one key (nothing when it does not exist). */
    public void delete(String key) {
        call("/v3/kv/deleterange", Map.of("key", encode(key)));
    }

    /** Deletes every key that starts with {@code prefix}. */
    public void deletePrefix(String prefix) {
        call("/v3/kv/deleterange", Map.of("key", encode(prefix), "range_end", encode(prefixEnd(prefix))));
    }

    private JsonNode call(String path, Map<String, ?> request) {
        ComponentException last = null;
        for (DeployedNode member : members) {
            try {
                Http.Response response = http.send("POST", Etcd.clientUrl(member) + path, Json.write(request), TIMEOUT, false);
                if (response.status() / 100 != 2) {
                    throw new ComponentException(member.name() + " etcd refused " + path + " (" + response.status() + " "
                            + response.body().strip() + ")");
                }
                return response.json();
            } catch (ComponentException e) {
                last = e;
            }
        }
        throw new ComponentException("no etcd member answers (" + last.getMessage() + "); a standby cluster depends on the etcd "
                + "members of the group, see docs/operations.md#standby-clusters");
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** The smallest key greater than every key with this prefix: the prefix with its last character plus one. */
    static String prefixEnd(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }
}
