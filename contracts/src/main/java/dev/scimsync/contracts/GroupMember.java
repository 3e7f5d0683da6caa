package dev.scimsync.contracts;

/** A member of a group as SCIM shows it: the user's id and, when known, its userName. */
public record GroupMember(String value, String display) {
}
