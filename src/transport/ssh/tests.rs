use super::*;

/// What libssh2 asks OpenSSL for at run time, by the names OpenSSL's default provider knows
/// them by. .cargo/openssl-configure leaves much of OpenSSL out; a key exchange, cipher or
/// key type missing here fails only when a server picks it (OpenSSH 9.9 picks ML-KEM first).
#[test]
fn openssl_has_every_algorithm_libssh2_uses() {
    use std::ffi::{CString, c_char, c_void};
    unsafe extern "C" {
        fn EVP_PKEY_CTX_new_from_name(
            libctx: *mut c_void,
            name: *const c_char,
            propq: *const c_char,
        ) -> *mut c_void;
        fn EVP_PKEY_CTX_free(ctx: *mut c_void);
        fn EVP_CIPHER_fetch(
            libctx: *mut c_void,
            name: *const c_char,
            propq: *const c_char,
        ) -> *mut c_void;
        fn EVP_CIPHER_free(cipher: *mut c_void);
        fn EVP_MD_fetch(
            libctx: *mut c_void,
            name: *const c_char,
            propq: *const c_char,
        ) -> *mut c_void;
        fn EVP_MD_free(md: *mut c_void);
        fn EVP_MAC_fetch(
            libctx: *mut c_void,
            name: *const c_char,
            propq: *const c_char,
        ) -> *mut c_void;
        fn EVP_MAC_free(mac: *mut c_void);
    }
    type Fetch = unsafe extern "C" fn(*mut c_void, *const c_char, *const c_char) -> *mut c_void;
    type Free = unsafe extern "C" fn(*mut c_void);
    let kinds: [(&str, Fetch, Free, &[&str]); 4] = [
        (
            "key type",
            EVP_PKEY_CTX_new_from_name,
            EVP_PKEY_CTX_free,
            &[
                "RSA",
                "EC",
                "ED25519",
                "X25519",
                "DH",
                "ML-KEM-512",
                "ML-KEM-768",
                "ML-KEM-1024",
            ],
        ),
        (
            "cipher",
            EVP_CIPHER_fetch,
            EVP_CIPHER_free,
            &[
                "AES-128-CTR",
                "AES-192-CTR",
                "AES-256-CTR",
                "AES-128-CBC",
                "AES-192-CBC",
                "AES-256-CBC",
                "AES-128-GCM",
                "AES-256-GCM",
                "DES-EDE3-CBC",
            ],
        ),
        (
            "digest",
            EVP_MD_fetch,
            EVP_MD_free,
            &["SHA1", "SHA256", "SHA384", "SHA512", "MD5"],
        ),
        ("MAC", EVP_MAC_fetch, EVP_MAC_free, &["HMAC"]),
    ];
    let mut missing = Vec::new();
    for (kind, fetch, free, names) in kinds {
        for name in names {
            let c = CString::new(*name).unwrap();
            // SAFETY: a NUL-terminated name, the default library context (null) and no
            // property query; what is fetched is freed by its own function.
            let got = unsafe { fetch(std::ptr::null_mut(), c.as_ptr(), std::ptr::null()) };
            if got.is_null() {
                missing.push(format!("{kind} {name}"));
            } else {
                unsafe { free(got) };
            }
        }
    }
    assert!(missing.is_empty(), "OpenSSL lacks: {missing:?}");
}

#[test]
fn host_key_algorithms_known_for_the_unit_come_first() {
    let session = Session::new().unwrap();
    assert_eq!(host_key_preference(&session, &[]), None);
    let pref = host_key_preference(&session, &["ecdsa-sha2-nistp256".into()]).unwrap();
    assert!(pref.starts_with("ecdsa-sha2-nistp256,"), "{pref}");
    assert!(pref.contains("ssh-ed25519"), "{pref}");
    // An RSA key signs with any of the RSA algorithms.
    let pref = host_key_preference(&session, &["ssh-rsa".into()]).unwrap();
    assert!(pref.starts_with("rsa-sha2-"), "{pref}");
}

#[test]
fn proxy_command_tokens() {
    let target = Target {
        name: "pio02".into(),
        address: "10.0.0.2".into(),
        port: 2222,
        user: "pioreactor".into(),
        identity_files: vec![],
        use_agent: false,
        proxy_command: None,
        host_keys: Lookup {
            primary: "pio02.local".into(),
            also: vec![],
        },
        known_hosts: PathBuf::from("/dev/null"),
        known: Arc::default(),
        accept_new: false,
    };
    assert_eq!(
        proxy_command_line(&target, "ssh -W %h:%p %r@jump %n 100%% %x"),
        "ssh -W 10.0.0.2:2222 pioreactor@jump pio02 100% %x"
    );
}
