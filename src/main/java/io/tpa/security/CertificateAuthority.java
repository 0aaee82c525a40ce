package io.tpa.security;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A group's own certificate authority: it signs one certificate per node (server and client use,
 * with the node's name and address), which PostgreSQL, Patroni's REST API and etcd present and
 * verify. Keys are ECDSA P-256.
 */
public final class CertificateAuthority {
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration NODE_VALIDITY = Duration.ofDays(397);

    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /** A certificate and its private key, both PEM. */
    public record Issued(String certificatePem, String privateKeyPem) {
    }

    public static CertificateAuthority create(String groupName) {
        try {
            KeyPair pair = newKeyPair();
            X500Name subject = new X500Name("CN=tpa " + groupName + " CA,O=tpa");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = sign(builder, pair.getPrivate());
            return new CertificateAuthority(certificate, pair.getPrivate());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a certificate authority: " + e.getMessage(), e);
        }
    }

    public static CertificateAuthority load(String certificatePem, String privateKeyPem) {
        return new CertificateAuthority(parseCertificate(certificatePem), parsePrivateKey(privateKeyPem));
    }

    public String certificatePem() {
        return pem(certificate);
    }

    public String privateKeyPem() {
        return pem(key);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Issues a certificate for server and client use.
     *
     * @param commonName the node's (or client's) name
     * @param names      DNS names and IP addresses it answers to
     */
    public Issued issue(String commonName, Collection<String> names, Duration validity) {
        try {
            KeyPair pair = newKeyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)),
                    new X500Name("CN=" + commonName + ",O=tpa"), pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            List<GeneralName> alternatives = new ArrayList<>();
            for (String name : names) {
                alternatives.add(isAddress(name) ? new GeneralName(GeneralName.iPAddress, name) : new GeneralName(GeneralName.dNSName, name));
                if (isAddress(name) && !name.contains(":")) {
                    // pgBackRest's TLS client before 2.5x matches the host it connects to against DNS names only (2.45 on Debian 12).
                    alternatives.add(new GeneralName(GeneralName.dNSName, name));
                }
            }
            if (!alternatives.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            }
            return new Issued(pem(sign(builder, key)), pem(pair.getPrivate()));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    /** True when the certificate was signed by this authority. */
    public boolean signed(X509Certificate issued) {
        try {
            issued.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The DNS names a certificate names (an IPv4 address among them too, for pgBackRest: see {@link #issue}). */
    public static List<String> dnsNames(X509Certificate issued) {
        try {
            List<String> names = new ArrayList<>();
            if (issued.getSubjectAlternativeNames() != null) {
                issued.getSubjectAlternativeNames().stream().filter(entry -> Integer.valueOf(GeneralName.dNSName).equals(entry.get(0)))
                        .forEach(entry -> names.add(String.valueOf(entry.get(1))));
            }
            return names;
        } catch (GeneralSecurityException e) {
            return List.of();
        }
    }

    /** The IP addresses and DNS names a certificate names. */
    public static List<String> alternativeNames(X509Certificate issued) {
        try {
            List<String> names = new ArrayList<>();
            if (issued.getSubjectAlternativeNames() != null) {
                issued.getSubjectAlternativeNames().forEach(entry -> names.add(String.valueOf(entry.get(1))));
            }
            return names;
        } catch (GeneralSecurityException e) {
            return List.of();
        }
    }

    public static X509Certificate parseCertificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** A PKCS#8 PEM private key ("BEGIN PRIVATE KEY"), EC or RSA. */
    public static PrivateKey parsePrivateKey(String pem) {
        if (!pem.contains("BEGIN PRIVATE KEY")) {
            throw new IllegalArgumentException("not a PKCS#8 PEM private key (convert one with "
                    + "`openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`)");
        }
        byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("not a readable EC or RSA private key");
    }

    /**
     * A CA the user brings: its certificate must be a CA's, current, and match the key.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static CertificateAuthority imported(String certificatePem, String privateKeyPem) {
        CertificateAuthority authority = load(certificatePem, privateKeyPem);
        X509Certificate certificate = authority.certificate;
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("the certificate is not a CA certificate (no basicConstraints CA:TRUE)");
        }
        if (certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(NODE_VALIDITY))) {
            throw new IllegalArgumentException("the CA certificate expires " + certificate.getNotAfter().toInstant().toString().substring(0, 10)
                    + ", before the node certificates it would sign");
        }
        X509Certificate probe = parseCertificate(authority.issue("probe", List.of(), Duration.ofMinutes(1)).certificatePem());
        if (!authority.signed(probe)) {
            throw new IllegalArgumentException("the private key does not belong to the CA certificate");
        }
        return authority;
    }

    private static boolean isAddress(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
    }

    private static String pem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(PrivateKey privateKey) {
        return pem("PRIVATE KEY", privateKey.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
