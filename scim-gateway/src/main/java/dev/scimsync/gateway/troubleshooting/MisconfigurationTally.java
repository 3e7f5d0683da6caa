package dev.scimsync.gateway.troubleshooting;

import dev.scimsync.contracts.TroubleshootingReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one gateway instance saw of mis-configured IdPs since its last report, summed in memory: per connection,
 * each unknown attribute (count, first and last seen); per token id, failed authentications; failures that
 * name no known token, per reason; and requests refused because the connection's SCIM is off, per method and
 * resource. Bounded whatever the IdPs (or an attacker holding a token) send: a name is cut
 * to {@link TroubleshootingReport#MAX_NAME_LENGTH}, a connection lists at most {@code maxNamesPerConnection} names
 * and {@code maxResourcesPerConnection} refused resources, and at most {@code maxEntries} names, token ids and
 * resources are held at once; a sighting past a bound is refused (the caller counts it) and the names already held
 * keep counting - a refused request past a bound is still counted, for its method and resource type without its id.
 * {@link #drain()} empties it, so the bounds apply per report interval.
 *
 * <p>Thread-safe by its monitor: a call is a few map operations, made only by the requests of a mis-configured
 * IdP or a failed authentication, never by a healthy request.
 */
final class MisconfigurationTally {

    private final int maxNamesPerConnection;
    private final int maxResourcesPerConnection;
    private final int maxEntries;
    private final Map<String, Map<Name, Seen>> unknownByConnection = new LinkedHashMap<>();
    private final Map<String, Token> failuresByToken = new LinkedHashMap<>();
    private final Map<String, Seen> unattributed = new LinkedHashMap<>();
    private final Map<Refused, Seen> refusedWhileScimOff = new LinkedHashMap<>();
    private final Map<String, Integer> refusedResourcesByConnection = new HashMap<>();
    private int entries;

    MisconfigurationTally(int maxNamesPerConnection, int maxResourcesPerConnection, int maxEntries) {
        if (maxNamesPerConnection < 1 || maxResourcesPerConnection < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("scim.troubleshooting: max-names-per-connection, "
                    + "max-resources-per-connection and max-entries must be positive");
        }
        this.maxNamesPerConnection = maxNamesPerConnection;
        this.maxResourcesPerConnection = maxResourcesPerConnection;
        this.maxEntries = maxEntries;
    }

    private record Name(String resourceType, String name, String kind) {
    }

    /** @param resourceId null for a request that names none, or one counted past the bounds */
    private record Refused(String connectionId, String method, String resourceType, String resourceId) {
    }

    private record Token(String connectionId, Seen seen) {
    }

    /** A count and the first and last time it grew. */
    private static final class Seen {
        private long count;
        private Instant first;
        private Instant last;

        Seen add(long more, Instant from, Instant to) {
            count += more;
            first = first == null || from.isBefore(first) ? from : first;
            last = last == null || to.isAfter(last) ? to : last;
            return this;
        }
    }

    /** Counts an unknown attribute of a connection; false when a bound refused it. */
    boolean unknownAttribute(String connectionId, String resourceType, String name, String kind, Instant at) {
        return unknownAttribute(connectionId, resourceType, name, kind, 1, at, at);
    }

    private synchronized boolean unknownAttribute(String connectionId, String resourceType, String name,
            String kind, long count, Instant first, Instant last) {
        Name key = new Name(resourceType, cut(name), kind);
        Map<Name, Seen> names = unknownByConnection.get(connectionId);
        Seen seen = names == null ? null : names.get(key);
        if (seen == null) {
            if (entries >= maxEntries || (names != null && names.size() >= maxNamesPerConnection)) {
                return false;
            }
            seen = new Seen();
            unknownByConnection.computeIfAbsent(connectionId, id -> new HashMap<>()).put(key, seen);
            entries++;
        }
        seen.add(count, first, last);
        return true;
    }

    /** Counts a failed authentication with a token of a connection; false when a bound refused it. */
    boolean failedAuthentication(String connectionId, String tokenId, Instant at) {
        return failedAuthentication(connectionId, tokenId, 1, at, at);
    }

    private synchronized boolean failedAuthentication(String connectionId, String tokenId, long count,
            Instant first, Instant last) {
        Token token = failuresByToken.get(tokenId);
        if (token == null) {
            if (entries >= maxEntries) {
                return false;
            }
            token = new Token(connectionId, new Seen());
            failuresByToken.put(tokenId, token);
            entries++;
        }
        token.seen().add(count, first, last);
        return true;
    }

    /** Counts a failed authentication that names no known token (a handful of reasons: never refused). */
    synchronized void unattributedFailure(String reason, Instant at) {
        unattributed.computeIfAbsent(reason, r -> new Seen()).add(1, at, at);
    }

    /**
     * Counts a request refused because its connection's SCIM is off. Past the bounds it is counted for its method
     * and resource type without the id (a handful of such entries per connection), so the count stays whole.
     */
    void refusedWhileScimOff(String connectionId, String method, String resourceType, String resourceId,
            Instant at) {
        refusedWhileScimOff(connectionId, method, resourceType, resourceId, 1, at, at);
    }

    private synchronized void refusedWhileScimOff(String connectionId, String method, String resourceType,
            String resourceId, long count, Instant first, Instant last) {
        Refused key = new Refused(connectionId, method, resourceType, resourceId);
        Seen seen = refusedWhileScimOff.get(key);
        if (seen == null && resourceId != null) {
            int held = refusedResourcesByConnection.getOrDefault(connectionId, 0);
            if (entries >= maxEntries || held >= maxResourcesPerConnection) {
                key = new Refused(connectionId, method, resourceType, null);
                seen = refusedWhileScimOff.get(key);
            } else {
                refusedResourcesByConnection.put(connectionId, held + 1);
            }
        }
        if (seen == null) {
            seen = new Seen();
            refusedWhileScimOff.put(key, seen);
            entries++;
        }
        seen.add(count, first, last);
    }

    /** Everything counted since the last drain, as one report (empty when nothing was); the tally starts over. */
    synchronized TroubleshootingReport drain() {
        List<TroubleshootingReport.UnknownAttribute> unknown = new ArrayList<>();
        unknownByConnection.forEach((connectionId, names) -> names.forEach((name, seen) -> unknown.add(
                new TroubleshootingReport.UnknownAttribute(connectionId, name.resourceType(), name.name(),
                        name.kind(), seen.count, seen.first, seen.last))));
        List<TroubleshootingReport.TokenFailures> tokens = new ArrayList<>();
        failuresByToken.forEach((tokenId, token) -> tokens.add(new TroubleshootingReport.TokenFailures(
                token.connectionId(), tokenId, token.seen().count, token.seen().first, token.seen().last)));
        List<TroubleshootingReport.UnattributedFailures> other = new ArrayList<>();
        unattributed.forEach((reason, seen) -> other.add(new TroubleshootingReport.UnattributedFailures(reason,
                seen.count, seen.first, seen.last)));
        List<TroubleshootingReport.RefusedWhileScimOff> refused = new ArrayList<>();
        refusedWhileScimOff.forEach((key, seen) -> refused.add(new TroubleshootingReport.RefusedWhileScimOff(
                key.connectionId(), key.method(), key.resourceType(), key.resourceId(), seen.count, seen.first,
                seen.last)));
        unknownByConnection.clear();
        failuresByToken.clear();
        unattributed.clear();
        refusedWhileScimOff.clear();
        refusedResourcesByConnection.clear();
        entries = 0;
        return new TroubleshootingReport(unknown, tokens, other, refused);
    }

    /**
     * Adds back a drained report that could not be delivered, within the same bounds (what counted meanwhile
     * keeps its place); the number of its entries that no longer fit.
     */
    synchronized int restore(TroubleshootingReport report) {
        int refused = 0;
        for (var unknown : report.unknownAttributes()) {
            if (!unknownAttribute(unknown.connectionId(), unknown.resourceType(), unknown.name(), unknown.kind(),
                    unknown.count(), unknown.firstSeen(), unknown.lastSeen())) {
                refused++;
            }
        }
        for (var token : report.failedAuthentications()) {
            if (!failedAuthentication(token.connectionId(), token.tokenId(), token.count(), token.firstSeen(),
                    token.lastSeen())) {
                refused++;
            }
        }
        for (var other : report.unattributed()) {
            unattributed.computeIfAbsent(other.reason(), r -> new Seen()).add(other.count(), other.firstSeen(),
                    other.lastSeen());
        }
        for (var request : report.refusedWhileScimOff()) {
            refusedWhileScimOff(request.connectionId(), request.method(), request.resourceType(), request.resourceId(),
                    request.count(), request.firstSeen(), request.lastSeen());
        }
        return refused;
    }

    private static String cut(String name) {
        if (name.length() <= TroubleshootingReport.MAX_NAME_LENGTH) {
            return name;
        }
        int end = TroubleshootingReport.MAX_NAME_LENGTH;
        // Not between the two halves of a surrogate pair.
        return name.substring(0, Character.isLowSurrogate(name.charAt(end)) ? end - 1 : end);
    }
}
