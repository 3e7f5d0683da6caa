package dev.scimsync.groupsync.persistence;

import dev.scimsync.contracts.GroupSnapshot;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/** A group being read or changed inside one transaction. */
public final class GroupRow {

    public UUID id;
    public String connectionId;
    public String displayName;
    public String externalId;
    public long memberCount;
    public UUID teamId;
    public long version;
    public Instant created;
    public Instant lastModified;

    static GroupRow of(Row row) {
        GroupRow group = new GroupRow();
        group.id = row.getUUID("id");
        group.connectionId = row.getString("connection_id");
        group.displayName = row.getString("display_name");
        group.externalId = row.getString("external_id");
        group.memberCount = row.getInteger("member_count");
        group.teamId = row.getUUID("team_id");
        group.version = row.getLong("version");
        group.created = row.getOffsetDateTime("created_at").toInstant();
        group.lastModified = row.getOffsetDateTime("last_modified").toInstant();
        return group;
    }

    public GroupSnapshot snapshot() {
        return new GroupSnapshot(id.toString(), connectionId, displayName, externalId, memberCount, version, created,
                lastModified);
    }
}
