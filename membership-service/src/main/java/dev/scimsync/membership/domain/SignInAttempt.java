package dev.scimsync.membership.domain;

import java.util.List;
import java.util.Map;

/**
 * A sign-in the SSO layer reports: the person the IdP authenticated, the groups it sent and its other
 * attributes (a role among them, {@link SignInRules#role}).
 *
 * @param groups     the IdP's groups, null when it sent none
 * @param attributes the IdP's other attributes, null when it sent none
 */
public record SignInAttempt(String email, String givenName, String familyName, List<String> groups,
        Map<String, Object> attributes) {
}
