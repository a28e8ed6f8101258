//! The value: randomness, words, shapes of other things, stand-ins, key bodies.

use super::*;

#[test]
fn random_literals_are_reported() {
    use FileKind::*;
    assert!(reported(
        r#"API_KEY=q8Zr2LmX9vTb4KpW"#,
        "API_KEY",
        "q8Zr2LmX9vTb4KpW",
        Config
    ));
    assert!(reported(
        r#"  password: "ofrjvevtwqno","#,
        "password",
        "ofrjvevtwqno",
        Code
    ));
    assert!(reported(
        "MYSQL_PASSWORD: ucsk",
        "MYSQL_PASSWORD",
        "ucsk",
        Config
    ));
    assert!(reported(
        r#"const KEY = '9485f5f37269f88348bc209bf4a0975d';"#,
        "KEY",
        "9485f5f37269f88348bc209bf4a0975d",
        Code
    ));
    assert!(reported(
        "GANDI_API_KEY=cfthjzuaxwlfypadjmfqqqlg \\",
        "GANDI_API_KEY",
        "cfthjzuaxwlfypadjmfqqqlg",
        Other
    ));
    assert!(reported(
        r#"Token: String("LLBF4QQXCW2G4OQWNPHF4EN2XUCK4"),"#,
        "Token",
        "LLBF4QQXCW2G4OQWNPHF4EN2XUCK4",
        Code
    ));
    assert!(reported(
        r#"password = Some("lpeeeq"),"#,
        "password",
        "lpeeeq",
        Code
    ));
}

#[test]
fn chosen_passwords_may_mix_words_and_digits() {
    use FileKind::*;
    assert!(reported(
        r#"password = "secret123""#,
        "password",
        "secret123",
        Code
    ));
    assert!(!reported(
        r#"password = "topsecret""#,
        "password",
        "topsecret",
        Code
    ));
    assert!(!reported(
        r#"password = "admin123""#,
        "password",
        "admin123",
        Code
    ));
    // A key or token made of words and a short number is an identifier.
    assert!(!reported(
        r#"token = "LET_ME_IN-1""#,
        "token",
        "LET_ME_IN-1",
        Code
    ));
}

#[test]
fn words_identifiers_and_phrases_are_not_secrets() {
    use FileKind::*;
    for (line, name, value) in [
        (r#"Key:     "tfstate","#, "Key", "tfstate"),
        (
            r#"hash_key = "TestTableHashKey""#,
            "hash_key",
            "TestTableHashKey",
        ),
        (
            r#"const tokenResponseJson = "ThisIsBadJSON";"#,
            "tokenResponseJson",
            "ThisIsBadJSON",
        ),
        (r#"const key = "LEGO_ENV_TC""#, "key", "LEGO_ENV_TC"),
        (
            r#"ARVANCLOUD_API_KEY = "API key""#,
            "ARVANCLOUD_API_KEY",
            "API",
        ),
        ("POSTGRES_PASSWORD=secret", "POSTGRES_PASSWORD", "secret"),
    ] {
        assert!(!reported(line, name, value, Code), "{line}");
    }
}

#[test]
fn shapes_of_other_things_are_not_secrets() {
    use FileKind::*;
    for value in [
        "https://example.com/callback",
        "ops@example.com",
        "sha512-Zm9vYmFyYmF6cXV4",
        "./certs/server.key",
        "^0.4.1",
        "ZHVtbXkgdGV4dCBkYXRhIGRhdGEgZGF0YQ==",
        "20003",
        "0x4f",
    ] {
        let line = format!("api_key = {value}");
        assert!(!reported(&line, "api_key", value, Config), "{value}");
    }
    // A vendor prefix followed by words is a stand-in.
    assert!(!reported(
        "DOCKERHUB_TOKEN=dckr_pat_tooshort",
        "DOCKERHUB_TOKEN",
        "dckr_pat_tooshort",
        Config
    ));
    assert!(reported(
        "AUTH_KEY=arachnys-zdjqas",
        "AUTH_KEY",
        "arachnys-zdjqas",
        Config
    ));
    // A literal prefix running into a template slot is a template.
    assert!(!reported(
        "API_KEY=lsv2_sk_<service-key>",
        "API_KEY",
        "lsv2_sk_",
        Config
    ));
    // The public half of a key pair.
    assert!(!reported(
        "# public key: age1qobktp3bd4ucju3xax77cz4ivp6qo7",
        "key",
        "age1qobktp3bd4ucju3xax77cz4ivp6qo7",
        Config
    ));
    // A UUID is a credential only under a name that says so.
    let uuid = "183cc1ac-d850-30d8-3bd5-5bb67ac19b4b";
    assert!(reported(
        &format!(r#""access_token":"{uuid}""#),
        "access_token",
        uuid,
        Config
    ));
    assert!(!reported(
        &format!(r#""key":"{uuid}""#),
        "key",
        uuid,
        Config
    ));
}

#[test]
fn base64_encoded_pem_is_a_key() {
    let v = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb2dJQkFBS0NBUUVBb3kxWFh1VkFRcHFI";
    assert!(reported(
        &format!("PRIVATE_KEY_B64={v}"),
        "PRIVATE_KEY_B64",
        v,
        FileKind::Config
    ));
}

#[test]
fn pem_bodies() {
    let pem = |body: &str| {
        let text = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}");
        reported(&text, "-----BEGIN", &text, FileKind::Other)
    };
    assert!(pem(
        "MIIEvuMGSEKNVJNQsqQQbb452PO46C7aTneMc0TpaJzfU4ZhLqr0cGTcGmAQ5Ehi"
    ));
    // Base64 of the alphabet is not key material.
    assert!(!pem("YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXphYmNkZWZnaGlq"));
    // An OpenSSH container: its first line is the same for every key of a
    // type; a key needs more, and an encrypted one is not reported.
    let header = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
    let more = "QyNTUxOQAAACD18L4bqUQ2b7a7NBhMgILUmr7O/PBj5XA7CnXFrYXxCXoseVkTMhh5NL/0tGyK/1e";
    assert!(pem(&format!("{header}\n{more}\n{more}")));
    assert!(!pem(header));
    assert!(!pem(
        "b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABD"
    ));
    // Elided with an ellipsis on the line: a truncated example. The same
    // body written whole is a key.
    let body = "MIIEvuMGSEKNVJNQsqQQbb452PO46C7aTneMc0TpaJzfU4ZhLqr0cGTcGmAQ5Ehi";
    let one_line = |middle: &str| {
        let text = format!(
            r#""PrivateKey": "-----BEGIN RSA PRIVATE KEY-----\n{body}{middle}Aq9x\n-----END RSA PRIVATE KEY-----\n""#
        );
        let at = text.find("-----BEGIN").unwrap();
        let end = text.find("Aq9x").unwrap() + 4;
        reported(&text, "-----BEGIN", &text[at..end], FileKind::Other)
    };
    assert!(!one_line("..."));
    assert!(!one_line("\u{2026}"));
    assert!(one_line(""));
    let encrypted = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nMIIEvuMGSEKNVJNQsqQQbb452PO46C7aTneMc0TpaJzfU4ZhLqr0cGTcGmAQ5Ehi";
    assert!(!reported(
        encrypted,
        "-----BEGIN",
        encrypted,
        FileKind::Other
    ));
}

#[test]
fn needed_entropy_scales_with_length() {
    let p = GenericPolicy::default();
    assert!(needed_entropy(b"abcd", Holds::Key, &p) < 2.0);
    assert!(needed_entropy(b"abcd", Holds::Password, &p) < 1.5);
    assert_eq!(needed_entropy(&[b'g'; 64], Holds::Key, &p), 3.0);
    assert_eq!(needed_entropy(&[b'a'; 64], Holds::Key, &p), 2.7);
}

#[test]
fn chosen_values_that_say_fake_are_stand_ins() {
    use FileKind::*;
    assert!(!reported(
        r#"password = "fake-verifier9""#,
        "password",
        "fake-verifier9",
        Code
    ));
    assert!(!reported(
        r#"API_TOKEN=FakeToken12345678"#,
        "API_TOKEN",
        "FakeToken12345678",
        Config
    ));
}

#[test]
fn words_run_together_are_a_chosen_password() {
    use FileKind::*;
    for (template, name, parts) in [
        (
            "REACT_APP_AUTH_PASSWORD={}",
            "REACT_APP_AUTH_PASSWORD",
            &["white", "duke"][..],
        ),
        (r#"$password = "{}";"#, "password", &["good", "spec"]),
        ("Password={}", "Password", &["correct", "horse", "battery"]),
        ("password: {}", "password", &["blue", "password", "cat"]),
    ] {
        let (line, value) = fill(template, parts);
        assert!(reported(&line, name, &value, Config), "{line}");
    }
    // A single word, a pair that names the field, a phrase with a stand-in
    // word, or the same words in a key's slot are not.
    for (line, name, value) in [
        ("password: testing", "password", "testing"),
        ("password: topsecret", "password", "topsecret"),
        ("password: adminpass", "password", "adminpass"),
        ("password: notrequired", "password", "notrequired"),
        ("password: ignoreme", "password", "ignoreme"),
        ("password: helloworld", "password", "helloworld"),
        ("Password=thisismypassword", "Password", "thisismypassword"),
        (
            "password: supersecretpassword",
            "password",
            "supersecretpassword",
        ),
        ("api_token: whiteduke", "api_token", "whiteduke"),
        ("password: WhiteDuke", "password", "WhiteDuke"),
    ] {
        assert!(!reported(line, name, value, Config), "{line}");
    }
}

#[test]
fn short_pronounceable_names_are_not_keys() {
    for v in ["mailchimp", "gitnavi", "iamnotacroken", "facebook"] {
        assert!(pronounceable(v.as_bytes()), "{v}");
    }
    for v in [
        "kvfsxyqjg",
        "ydrgcfajewbi",
        "nsdrdrfdy",
        "snhzfjnegxghf",
        "Mailchimp",
        "mailchimp1",
    ] {
        assert!(!pronounceable(v.as_bytes()), "{v}");
    }
    let (line, value) = fill(
        r#"json={"access_token": "{}", "expires_in": 0}"#,
        &["mail", "chimp"],
    );
    assert!(!reported(&line, "access_token", &value, FileKind::Code));
    // A password may be pronounceable: people choose those.
    let (line, value) = fill("DB_PASSWORD={}", &["boli", "mato"]);
    assert!(reported(&line, "DB_PASSWORD", &value, FileKind::Config));
}

#[test]
fn hex_letters_are_not_words() {
    // `ebf` is in the vocabulary; in 16 hex digits it is chance.
    let (line, value) = fill(r#""tokens":["{}","86d7"],"#, &["e0e8ebf7", "109f6f4d"]);
    assert!(reported(&line, "tokens", &value, FileKind::Config));
    let (line, value) = fill(r#"const expectedAuthCode = "{}";"#, &["71b12", "bdf7b"]);
    assert!(reported(&line, "expectedAuthCode", &value, FileKind::Code));
    // Short hex made of words stays an identifier.
    assert!(!reported(
        r#"token = "deadbeef""#,
        "token",
        "deadbeef",
        FileKind::Code
    ));
}

#[test]
fn substituted_and_foreign_word_stand_ins_pass() {
    use FileKind::*;
    for value in [
        "s3cr3t",
        "p@ssw0rd",
        "l3tm31n!",
        "geheim",
        "wachtwoord",
        "motdepasse",
        "segreto$chiave",
    ] {
        let line = format!(r#"    password = "{value}""#);
        assert!(!reported(&line, "password", value, Code), "{value}");
    }
    // Chosen and random passwords in the same place still block.
    for value in ["s8kQz2vR", "Tr0ub4dor&3x", "hq7Vd2mXr9", "kx3vq7zt"] {
        let line = format!(r#"    password = "{value}""#);
        assert!(reported(&line, "password", value, Code), "{value}");
    }
}

/// A handle labelled with its field's whole name passes; the same field
/// with a random value, or a value that repeats only part of the name,
/// is reported.
#[test]
fn values_that_open_with_their_own_name() {
    let rand = ["cu4lg2", "6ofczi", "ixny"].concat();
    let line = |name: &str, value: &str| format!(r#""{name}": "{value}","#);
    let judged_as = |name: &str, value: &str| {
        let l = line(name, value);
        reported(&l, name, value, FileKind::Config)
    };
    assert!(!judged_as("ExportToken", &format!("export-token-{rand}")));
    assert!(!judged_as("import_token", &format!("import_token_{rand}")));
    assert!(judged_as("ExportToken", &format!("Zq8Lm2{rand}")));
    assert!(judged_as("ExportToken", &format!("token-{rand}Zq8")));
    assert!(judged_as("token", &format!("token-{rand}Zq8")));
}

/// A UUID under a `ClientToken` is an idempotency token; under an access
/// token it is a credential, and a random value under `ClientToken` is too.
#[test]
fn client_tokens_that_are_uuids() {
    let uuid = ["9b2f6c1e-4d7a-", "4f83-b5e2-0c8a7d3e6f19"].concat();
    let random = ["Zq8Lm2Xv9T", "bK4pWn7Yc3"].concat();
    let judged_as = |name: &str, value: &str| {
        let l = format!(r#""{name}": "{value}","#);
        reported(&l, name, value, FileKind::Config)
    };
    assert!(!judged_as("ClientToken", &uuid));
    assert!(!judged_as("client_token", &uuid));
    assert!(judged_as("ClientToken", &random));
    assert!(judged_as("client_token", &random));
    assert!(judged_as("access_token", &uuid));
}

#[test]
fn an_ampersand_ends_a_value_only_where_a_parameter_follows() {
    // A generated password holds `&`; the whole value is judged.
    let (line, value) = fill("password = {}", &["4M&aC", "S1+Nb*mE"]);
    assert_eq!(
        judged(&line, "password", &value, FileKind::Config),
        Ok(line.len())
    );
    let (line, value) = fill(
        "broker='redis://:{}@cache.internal:6379/0'",
        &["4c&jLJ*=NL", "gYxPRJK0"],
    );
    let end = line.find('@').unwrap();
    assert_eq!(judged(&line, "redis", &value, FileKind::Code), Ok(end));
    // `&state=` opens the next query parameter: the token ends before it.
    let (line, value) = fill("callback?token={}&state=xyz", &["q8Zr2LmX9v", "Tb4KpW7nYc"]);
    let token_end = line.find("&state").unwrap();
    assert_eq!(
        judged(
            &line,
            "token",
            &format!("{value}&state=xyz"),
            FileKind::Other
        ),
        Ok(token_end)
    );
}

#[test]
fn template_slot_defaults_are_literals() {
    let (line, v) = fill(
        "export DB_PASSWORD=\"${DB_PASSWORD:-{}}\"",
        &["Xk8v", "Lq2mTz7w"],
    );
    let at = line.find(&v).unwrap();
    let c = Candidate {
        line: line.as_bytes(),
        start: line.find("DB_PASSWORD:").unwrap(),
        value: at - 1..at + v.len(),
        file: FileKind::Config,
    };
    assert_eq!(slot_default_value(&c), Some(at..at + v.len()));
    assert!(reported(&line, "DB_PASSWORD:", &v, FileKind::Config));
    let (line, v) = fill(
        "@Value(\"${acme.api-key:{}}\")",
        &["q8Zr2LmX9v", "Tb4KpW7nYc"],
    );
    assert!(reported(&line, "acme.api-key", &v, FileKind::Code));
    assert!(!reported(
        "${POSTGRES_PASSWORD:-postgres}",
        "POSTGRES_PASSWORD:",
        "postgres",
        FileKind::Config
    ));
    // Outside a slot, an unquoted value in code is still an expression.
    let (line, v) = fill("x = {api_key: {}}", &["q8Zr2LmX9v", "Tb4KpW7nYc"]);
    assert!(!reported(&line, "api_key", &v, FileKind::Code));
}

#[test]
fn xml_text_is_named_by_its_element_attribute_or_key() {
    assert_eq!(xml_element(b"<ns1:AuthToken>"), Some(&b"AuthToken"[..]));
    assert_eq!(
        xml_element(b"<string name=\"api_key\">"),
        Some(&b"api_key"[..])
    );
    assert_eq!(
        xml_element(b"<key>APIKey</key>\n\t<string>"),
        Some(&b"APIKey"[..])
    );
    assert_eq!(xml_element(b"password: "), None);
}
