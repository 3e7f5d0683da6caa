package dev.scimsync.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * The keys services call each other's internal APIs with (docs/security.md): each calling service's EC P-256
 * private key as a JWK whose {@code kid} is the service's name ({@code <dir>/<service>.jwk.json}), and one
 * JWKS with all their public keys ({@code <dir>/jwks.json}) that every called service verifies with. Made
 * on the first start and kept, like the other secrets of the data directory.
 */
public final class ServiceKeys {

    /** The services that call another service's internal API and so sign tokens. */
    public static final List<String> CALLERS = List.of("scim-gateway", "group-sync-service");

    private ServiceKeys() {
    }

    public static Path privateKey(Path dir, String service) {
        return dir.resolve(service + ".jwk.json");
    }

    public static Path jwks(Path dir) {
        return dir.resolve("jwks.json");
    }

    /** Creates the keys of the services that have none in {@code dir} and writes the JWKS of all of them. */
    public static void createMissing(Path dir, Collection<String> services) throws IOException {
        Files.createDirectories(dir);
        try {
            List<JsonWebKey> publicKeys = new ArrayList<>();
            for (String service : services) {
                Path file = privateKey(dir, service);
                if (!Files.exists(file)) {
                    writePrivate(file, newKey(service));
                }
                publicKeys.add(JsonWebKey.Factory.newJwk(Files.readString(file)));
            }
            Files.writeString(jwks(dir), new JsonWebKeySet(publicKeys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        } catch (JoseException e) {
            throw new IOException("unreadable key in " + dir, e);
        }
    }

    /** A new ES256 key; {@code kid} names the service (a suffix such as {@code .2} tells a rotated key apart). */
    public static EllipticCurveJsonWebKey newKey(String kid) {
        try {
            EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            key.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException("the JDK cannot make P-256 keys", e);
        }
    }

    private static void writePrivate(Path file, JsonWebKey key) throws IOException {
        Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"),
                key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        try {
            Files.setPosixFilePermissions(written, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data directory's own permissions protect it.
        }
        Files.move(written, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
