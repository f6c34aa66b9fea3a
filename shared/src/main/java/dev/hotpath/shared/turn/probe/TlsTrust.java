package dev.hotpath.shared.turn.probe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificate authorities {@code stun-tls} trusts: the JDK's, or only those of a PEM bundle (a
 * private CA). Full PKIX validation either way; it only also remembers the certificate the server
 * presented, so a refused one can be described.
 */
public final class TlsTrust {
  private final X509ExtendedTrustManager delegate;

  private TlsTrust(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  /** The JDK's default trust store. */
  public static TlsTrust system() {
    return of(null);
  }

  /**
   * Only the certificates in {@code pem} (one or more {@code BEGIN CERTIFICATE} blocks) as anchors.
   *
   * @throws IllegalArgumentException when the text holds no readable certificate
   */
  public static TlsTrust pem(String pem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("holds no PEM certificate");
      }
      return of(store);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "is not a PEM certificate bundle (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static TlsTrust of(KeyStore anchors) {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      for (TrustManager m : factory.getTrustManagers()) {
        if (m instanceof X509ExtendedTrustManager x) {
          return new TlsTrust(x);
        }
      }
      throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the TLS trust manager", e);
    }
  }

  /**
   * A socket factory validating with these anchors that stores the presented leaf in {@code
   * presented}.
   */
  SSLSocketFactory socketFactory(AtomicReference<X509Certificate> presented) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Recording(delegate, presented)}, null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }

  /** Delegates every check; notes the server's certificate first. */
  private static final class Recording extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final AtomicReference<X509Certificate> presented;

    Recording(X509ExtendedTrustManager delegate, AtomicReference<X509Certificate> presented) {
      this.delegate = delegate;
      this.presented = presented;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      note(chain);
      delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      note(chain);
      delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      note(chain);
      delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the probe is a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the probe is a client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the probe is a client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }

    private void note(X509Certificate[] chain) {
      if (chain != null && chain.length > 0) {
        presented.set(chain[0]);
      }
    }
  }
}
