package dev.scimsync.audit.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A native query over the audit tables whose WHERE clause holds only bind parameters: conditions are this
 * class's own fragments or SQL the caller writes, values always go through {@link #parameter}. Instants are
 * parsed as ISO-8601 offsets when a condition is added, so a bad one fails before anything is read.
 */
final class AuditQuery {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> parameters = new ArrayList<>();

    /** {@code column = value}, unless the value is null or blank (no condition then). */
    public AuditQuery equal(String column, String value) {
        if (value != null && !value.isBlank()) {
            conditions.add(column + " = " + parameter(value));
        }
        return this;
    }

    /** Recorded at or after {@code instant}, unless it is null. */
    public AuditQuery from(String instant) {
        if (instant != null) {
            conditions.add("recorded_at >= " + parameter(OffsetDateTime.parse(instant)));
        }
        return this;
    }

    /** Recorded before {@code instant}, unless it is null. */
    public AuditQuery to(String instant) {
        if (instant != null) {
            conditions.add("recorded_at < " + parameter(OffsetDateTime.parse(instant)));
        }
        return this;
    }

    /** A condition in SQL; any value in it must come from {@link #parameter}. */
    public AuditQuery condition(String sql) {
        conditions.add(sql);
        return this;
    }

    /** Binds the value and answers its placeholder ({@code ?1, ?2...}). */
    public String parameter(Object value) {
        parameters.add(value);
        return "?" + parameters.size();
    }

    /** The WHERE clause with a leading space, or nothing without conditions. */
    public String where() {
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    /** Runs {@code sql} with the bound parameters in the current Hibernate Reactive session. */
    public Uni<List<Object[]>> run(String sql) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            for (int i = 0; i < parameters.size(); i++) {
                query.setParameter(i + 1, parameters.get(i));
            }
            return query.getResultList();
        });
    }
}
