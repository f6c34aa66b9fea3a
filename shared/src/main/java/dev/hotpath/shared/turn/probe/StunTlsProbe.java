package dev.hotpath.shared.turn.probe;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * {@code stun-tls}: a TLS connection to the TURN-over-TLS port with the certificate checked and the
 * server name verified (as a browser checks a {@code turns:} URL), then a Binding request over it.
 * The answer carries the certificate's expiry; a handshake that fails on the certificate reports
 * the expiry it saw, so an expired certificate is named as such.
 */
public final class StunTlsProbe implements Probe {
  private final String host;
  private final int port;
  private final String serverName;
  private final TlsTrust trust;

  /**
   * @param serverName the name the certificate must carry (the target's host, or its {@code
   *     tlsServerName})
   */
  public StunTlsProbe(String host, int port, String serverName, TlsTrust trust) {
    this.host = host;
    this.port = port;
    this.serverName = serverName;
    this.trust = trust;
  }

  @Override
  public ProbeKind kind() {
    return ProbeKind.STUN_TLS;
  }

  @Override
  public ProbeAnswer attempt(Duration timeout) throws ProbeFailure {
    long start = System.nanoTime();
    AtomicReference<X509Certificate> presented = new AtomicReference<>();
    try (Socket plain = new Socket()) {
      plain.connect(Endpoints.resolve(host, port), StunTransport.timeoutMillis(timeout));
      plain.setSoTimeout(StunTransport.timeoutMillis(timeout));
      try (SSLSocket tls =
          (SSLSocket) trust.socketFactory(presented).createSocket(plain, serverName, port, true)) {
        SSLParameters parameters = tls.getSSLParameters();
        // HTTPS rules: the certificate's subjectAltName must match the name we asked for.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!Character.isDigit(serverName.charAt(serverName.length() - 1))
            && !serverName.contains(":")) {
          parameters.setServerNames(List.of(new SNIHostName(serverName)));
        }
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        Certificate[] chain = tls.getSession().getPeerCertificates();
        Instant notAfter = ((X509Certificate) chain[0]).getNotAfter().toInstant();
        Duration left =
            Duration.ofNanos(Math.max(1, timeout.toNanos() - (System.nanoTime() - start)));
        String mapped =
            BindingResponses.accept(
                    StunTransport.exchangeStream(tls, BindingResponses.bindingRequest(), left))
                .detail();
        return new ProbeAnswer(
            mapped + " over TLS, certificate valid until " + notAfter,
            ProbeFacts.certificateExpiry(notAfter));
      }
    } catch (SocketTimeoutException e) {
      throw new ProbeFailure(
          "no TLS answer within " + timeout.toMillis() + " ms", facts(presented));
    } catch (SSLException e) {
      X509Certificate seen = presented.get();
      String about =
          seen == null
              ? ""
              : " (certificate for "
                  + seen.getSubjectX500Principal().getName()
                  + ", valid until "
                  + seen.getNotAfter().toInstant()
                  + ")";
      throw new ProbeFailure("TLS handshake failed: " + rootMessage(e) + about, facts(presented));
    } catch (IOException e) {
      throw new ProbeFailure("TLS connect failed: " + e.getMessage(), facts(presented));
    }
  }

  private static ProbeFacts facts(AtomicReference<X509Certificate> presented) {
    X509Certificate seen = presented.get();
    return seen == null
        ? ProbeFacts.NONE
        : ProbeFacts.certificateExpiry(seen.getNotAfter().toInstant());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
