package dev.scimsync.membership.domain;

/**
 * What a full organization answers, the same for SCIM, JIT sign-in and a manual add: which organization, its
 * limit, and what to do. IdPs show this text as the failure's reason (the gateway answers it 403, not 409,
 * which Okta and Entra read as "the user exists" and try to link), and the troubleshooting page lists it.
 */
public final class SeatLimit {

    private SeatLimit() {
    }

    public static String refusal(String organization, int seats) {
        return "not enough seats in organization " + organization + " (all " + seats + " seats are taken): add "
                + "seats (PATCH /admin/v1/organizations/" + organization + ") or remove members, then retry";
    }
}
