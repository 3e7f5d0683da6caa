package dev.scimsync.membership.persistence;

/**
 * A batch's write found fewer of the accounts it read than it changes: another connection adopted one (a
 * connection-to-connection migration) or an admin removed one after the batch read it. Nothing of the batch is
 * kept; applied again, it reads the accounts as they are now.
 */
public final class StaleAccounts extends RuntimeException {

    StaleAccounts(int expected, int found) {
        super("the batch's account writes found " + found + " of the " + expected
                + " accounts it read as they were; applied again");
    }
}
