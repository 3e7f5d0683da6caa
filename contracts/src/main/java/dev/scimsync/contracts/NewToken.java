package dev.scimsync.contracts;

/**
 * A freshly generated bearer token ({@link ScimTokens#generate}, {@link ScopedAdminTokens#generate}): the whole
 * {@code token} is shown once, then only a digest of its secret is kept. Its {@code toString} names the id only,
 * so a token logged by mistake gives nothing away.
 */
public record NewToken(String id, String secret, String token) {

    @Override
    public String toString() {
        return "NewToken[id=" + id + "]";
    }
}
