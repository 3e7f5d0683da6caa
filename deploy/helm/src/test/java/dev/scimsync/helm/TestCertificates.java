package dev.scimsync.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority, a broker certificate for localhost and a client certificate, made with the
 * JDK's keytool, in the forms a Strimzi cluster hands out: the CA certificate and the client's certificate and
 * PKCS#8 key in PEM (the cluster CA Secret's ca.crt, a KafkaUser Secret's user.crt and user.key), and PKCS#12
 * stores for the broker.
 */
record TestCertificates(Path brokerKeyStore, Path brokerTrustStore, String password, String caCertificatePem,
        String clientCertificatePem, String clientKeyPem) {

    static TestCertificates create(Path directory) throws IOException, InterruptedException,
            java.security.GeneralSecurityException {
        String password = "changeit-" + Long.toHexString(System.nanoTime());
        Path ca = directory.resolve("ca.p12");
        Path broker = directory.resolve("broker.p12");
        Path client = directory.resolve("client.p12");
        Path trust = directory.resolve("truststore.p12");
        Path caPem = directory.resolve("ca.crt");

        keytool(directory, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=test-ca",
                "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString(), "-storetype", "PKCS12",
                "-storepass", password);
        keytool(directory, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", password,
                "-file", caPem.toString());
        keytool(directory, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore",
                trust.toString(), "-storetype", "PKCS12", "-storepass", password);
        signed(directory, ca, broker, "broker", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", password, caPem);
        signed(directory, ca, client, "client", "CN=scim-services", null, password, caPem);

        KeyStore clientStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(client)) {
            clientStore.load(in, password.toCharArray());
        }
        PrivateKey key = (PrivateKey) clientStore.getKey("client", password.toCharArray());
        StringBuilder chain = new StringBuilder();
        for (java.security.cert.Certificate certificate : clientStore.getCertificateChain("client")) {
            chain.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        return new TestCertificates(broker, trust, password, Files.readString(caPem), chain.toString(),
                pem("PRIVATE KEY", key.getEncoded()));
    }

    /** A key pair in {@code store} whose certificate the CA in {@code ca} signed, with the CA's in its chain. */
    private static void signed(Path directory, Path ca, Path store, String alias, String name, String extension,
            String password, Path caPem) throws IOException, InterruptedException {
        Path request = directory.resolve(alias + ".csr");
        Path certificate = directory.resolve(alias + ".crt");
        keytool(directory, "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", name,
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password);
        keytool(directory, "-certreq", "-alias", alias, "-keystore", store.toString(), "-storepass", password,
                "-file", request.toString());
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(),
                "-storepass", password, "-infile", request.toString(), "-outfile", certificate.toString(),
                "-validity", "2"));
        if (extension != null) {
            sign.addAll(List.of("-ext", extension));
        }
        keytool(directory, sign.toArray(String[]::new));
        keytool(directory, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore",
                store.toString(), "-storepass", password);
        keytool(directory, "-importcert", "-alias", alias, "-file", certificate.toString(), "-keystore",
                store.toString(), "-storepass", password);
    }

    private static void keytool(Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = directory.resolve("keytool.log");
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + Files.readString(log));
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
