package dev.hotpath.functions.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No secret value in any Terraform file or example: keys come from Secret Manager only. */
class TerraformSecretsTest {
  /**
   * PEM/OpenSSH private key blocks, their bare base64 bodies, service-account key files, API keys.
   */
  private static final List<Pattern> SECRETS =
      List.of(
          Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY"),
          Pattern.compile(
              "b3BlbnNzaC1rZXktdjE"), // base64 of "openssh-key-v1", any OpenSSH private key
          Pattern.compile("MII[A-Za-z0-9+/]{60,}"), // base64 DER (PKCS#1/#8) as a PEM body begins
          Pattern.compile("\"private_key\"\\s*:"),
          Pattern.compile("AIza[0-9A-Za-z_-]{35}"),
          Pattern.compile("[A-Za-z0-9+/]{200,}={0,2}")); // any long run of key material

  @Test
  void noTerraformFileOrExampleHoldsKeyMaterial() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : files()) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      for (Pattern secret : SECRETS) {
        Matcher m = secret.matcher(text);
        if (m.find()) {
          found.add(file.getFileName() + ": " + secret.pattern());
        }
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void theScanFindsARealKey() throws Exception {
    byte[] der = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded();
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    assertFalse(SECRETS.stream().noneMatch(p -> p.matcher(pem).find()));
    // The body alone, pasted into a variable without its PEM lines, is found too.
    assertFalse(SECRETS.stream().noneMatch(p -> p.matcher(body.replace("\n", "")).find()));
    assertFalse(SECRETS.stream().noneMatch(p -> p.matcher(body).find()));
  }

  /**
   * Every .tf file, the tfvars example and the other text files of terraform/ (indexes.json,
   * README.md).
   */
  private static List<Path> files() throws IOException {
    try (Stream<Path> all = Files.list(TerraformModule.folder())) {
      List<Path> files =
          all.filter(Files::isRegularFile)
              .filter(f -> f.toString().matches(".*\\.(tf|example|json|md)$"))
              .sorted()
              .toList();
      assertFalse(files.isEmpty());
      return files;
    }
  }
}
