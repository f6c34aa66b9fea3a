package dev.hotpath.testsupport.turn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A throwaway certificate authority and a server certificate it signed, made with the JDK's {@code
 * keytool} (which can date a certificate in the past, so an already expired one can be made):
 * {@code ca.pem}, {@code cert.pem} and {@code key.pem} (PKCS#8) in a directory, as coturn's {@code
 * --cert} / {@code --pkey} and a client's trust anchors take them.
 */
public final class LocalTlsCertificate {
  private final String serverName;
  private final Path caFile;
  private final Path certFile;
  private final Path keyFile;

  private LocalTlsCertificate(String serverName, Path caFile, Path certFile, Path keyFile) {
    this.serverName = serverName;
    this.caFile = caFile;
    this.certFile = certFile;
    this.keyFile = keyFile;
  }

  /**
   * @param serverName the DNS name the certificate is for (its subjectAltName)
   * @param startDaysAgo the certificate is valid from this many days ago…
   * @param validDays …for this many days (so {@code 10, 1} is expired, {@code 1, 3} expires in 2
   *     days)
   */
  public static LocalTlsCertificate generate(
      Path dir, String serverName, int startDaysAgo, int validDays)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path store = dir.resolve("keys.p12");
    Files.deleteIfExists(store);
    String password = UUID.randomUUID().toString();
    List<String> common =
        List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password);
    keytool(
        keytool,
        common,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=hotpath test CA",
        "-ext",
        "bc:c",
        "-validity",
        "365");
    keytool(
        keytool,
        common,
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + serverName,
        "-validity",
        "365");
    Path csr = dir.resolve("server.csr");
    keytool(keytool, common, "-certreq", "-alias", "server", "-file", csr.toString());
    Path cert = dir.resolve("cert.pem");
    keytool(
        keytool,
        common,
        "-gencert",
        "-alias",
        "ca",
        "-infile",
        csr.toString(),
        "-outfile",
        cert.toString(),
        "-rfc",
        "-startdate",
        "-" + startDaysAgo + "d",
        "-validity",
        String.valueOf(validDays),
        "-ext",
        "SAN=dns:" + serverName);
    Path ca = dir.resolve("ca.pem");
    keytool(keytool, common, "-exportcert", "-alias", "ca", "-rfc", "-file", ca.toString());
    Path key = dir.resolve("key.pem");
    Files.writeString(key, pkcs8Pem(store, password), StandardCharsets.US_ASCII);
    return new LocalTlsCertificate(serverName, ca, cert, key);
  }

  /** The DNS name the certificate is for. */
  public String serverName() {
    return serverName;
  }

  public Path caFile() {
    return caFile;
  }

  public Path certFile() {
    return certFile;
  }

  public Path keyFile() {
    return keyFile;
  }

  /** The CA certificate as PEM text, as {@code TURN_TLS_CA_CERTS} holds it. */
  public String caPem() throws IOException {
    return Files.readString(caFile, StandardCharsets.US_ASCII);
  }

  private static void keytool(Path keytool, List<String> common, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args).subList(0, 1));
    command.addAll(common);
    command.addAll(List.of(args).subList(1, args.length));
    LocalProcesses.run(command, Duration.ofSeconds(60));
  }

  private static String pkcs8Pem(Path store, String password) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, password.toCharArray());
      Key key = keys.getKey("server", password.toCharArray());
      String body =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(key.getEncoded());
      return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the generated key from " + store, e);
    }
  }
}
