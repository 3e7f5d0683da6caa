package dev.scimsync.contracts.kafka;

import dev.scimsync.contracts.GroupPlacements;

public class GroupPlacementsDeserializer extends ContractDeserializer<GroupPlacements> {
    public GroupPlacementsDeserializer() {
        super(GroupPlacements.class);
    }
}
