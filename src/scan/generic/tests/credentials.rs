//! Passwords in URLs, authorization headers, command-line arguments.

use super::*;

#[test]
fn url_passwords() {
    use FileKind::*;
    let url = |line: &str, pw: &str| reported(line, line.split("://").next().unwrap(), pw, Code);
    assert!(url(
        "postgres://miniflux:obtunuohdex@db/miniflux",
        "obtunuohdex"
    ));
    assert!(!url("https://user:pass@example.com", "pass"));
    assert!(url(
        "mysql://devuser:mySecret2024@localhost:3306/dev_db",
        "mySecret2024"
    ));
    assert!(!url(
        "mongodb://user:password@db.example.com:27017/mydb",
        "password"
    ));
    assert!(!url(
        "https://username:mypassword@test.com/endpoint",
        "mypassword"
    ));
    assert!(!url(
        "postgres://postgres:postgres@localhost:5432/db",
        "postgres"
    ));
    assert!(!url(
        "http://john.doe:password123@example.com",
        "password123"
    ));
    assert!(!url("https://user:abc@api.com/v1", "abc"));
    assert!(!url("https://user:1111@service.com/api", "1111"));
    assert!(!url("https://{USER}:{PASS}@template.example.com", "{PASS}"));
}

#[test]
fn authorization_headers() {
    use FileKind::*;
    assert!(reported(
        "- Bearer 7ba3c12f3c1984f1fd0013b3acb557e0e78fed11",
        "Bearer",
        "7ba3c12f3c1984f1fd0013b3acb557e0e78fed11",
        Config
    ));
    assert!(reported(
        r#"if auth != "Basic kT2zRF89a2YzalD4" {"#,
        "Basic",
        "kT2zRF89a2YzalD4",
        Code
    ));
    // Basic of user:password judges the password.
    assert!(reported(
        "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        "Basic",
        "QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        Other
    ));
    assert!(!reported(
        "Authorization: Basic dXNlcjpwYXNzd29yZA==",
        "Basic",
        "dXNlcjpwYXNzd29yZA==",
        Other
    ));
    assert!(!reported(
        "use basic authentication here",
        "basic",
        "authentication",
        Other
    ));
}

#[test]
fn passwords_passed_as_arguments() {
    use FileKind::*;
    for (template, name, parts) in [
        (
            r#"var cred = new NetworkCredential("svc_backup", "{}");"#,
            "NetworkCredential",
            &["Vq7r", "T2mwz"][..],
        ),
        (
            r#"$d = New-Object DirectoryServices.DirectoryEntry("LDAP://10.0.0.1","corp\svc", "{}")"#,
            "DirectoryServices",
            &["brak", "sha"],
        ),
        (
            r#"system("psexec \\\\192.168.3.77 -u Administrator -p {} shutdown");"#,
            "psexec",
            &["brak", "sha"],
        ),
    ] {
        let (line, value) = fill(template, parts);
        assert!(reported(&line, name, &value, Code), "{line}");
    }
    for (line, name, value) in [
        // Stand-ins, the user repeated, a variable.
        (
            r#"DirectoryEntry("LDAP://10.10.10.1","domain\user", "secret")"#,
            "DirectoryEntry",
            "secret",
        ),
        (
            r#"new GitCredential("alice", "alice")"#,
            "GitCredential",
            "alice",
        ),
        (
            "psexec \\\\host -u User -p $Password -i",
            "psexec",
            "$Password",
        ),
        (
            "psexec \\\\host -u admin -p dev_admin cmd",
            "psexec",
            "dev_admin",
        ),
        // One quoted argument before is a user; three is not this shape.
        (r#"f("a", "b", "c", "Vq7rT2mwz")"#, "f", "Vq7rT2mwz"),
    ] {
        assert!(!reported(line, name, value, Code), "{line}");
    }
}

#[test]
fn argument_shapes() {
    assert!(syntax::credential_argument(br#"("alice", ""#));
    assert!(syntax::credential_argument(br#"( "LDAP://x" , 'd\u', '"#));
    assert!(!syntax::credential_argument(br#"(""#));
    assert!(!syntax::credential_argument(br#" = Some(""#));
    assert!(!syntax::credential_argument(br#"(user, ""#));
    assert!(syntax::password_flag(
        b" \\\\10.0.94.120 -u Administrator -p "
    ));
    assert!(!syntax::password_flag(b" -p "));
    assert!(!syntax::password_flag(b" -u root -x "));
    assert!(syntax::identified_by(b"IDENTIFIED", b" BY \""));
    assert!(syntax::identified_by(b"identified", b" by '"));
    assert!(!syntax::identified_by(b"IDENTIFIED", b" BY PASSWORD '"));
    assert!(!syntax::identified_by(b"verified", b" by '"));
    assert!(syntax::password_flag(b" \\\\h -U sa -P \""));
}

#[test]
fn url_passwords_are_decoded_and_checked_for_weak_ones() {
    assert_eq!(percent_decoded(b"password%20123"), b"password123");
    assert_eq!(percent_decoded(b"a%2Fb%zz%4"), b"a/b%zz%4");
    assert!(judge_url_password(b"password%20123", b"john").is_err());
    assert!(judge_url_password(b"::password123", b"john.doe").is_err());
    assert!(judge_url_password(b"letmein123", b"john.doe").is_err());
    let (_, value) = fill("{}", &["D1ff", "icultP%40ssw0rd"]);
    assert!(judge_url_password(value.as_bytes(), b"myDatabaseUser").is_ok());
}

#[test]
fn curl_user_option_passwords() {
    use FileKind::*;
    let line = |pw: &str| format!("curl -u deploy:{pw} https://api.example.com/v1");
    let random = ["hq7V", "d2mXr9"].concat();
    assert!(reported(&line(&random), "-u", &random, Other));
    let long = format!("curl --user=ci:{random} -X POST https://x.example.com");
    assert!(reported(&long, "--user", &random, Other));
    for pw in ["deploy", "p@ssw0rd", "password", "$TOKEN"] {
        assert!(!reported(&line(pw), "-u", pw, Other), "{pw}");
    }
}

#[test]
fn xml_elements_data_source_names_and_connection_calls() {
    use FileKind::*;
    let (line, v) = fill("  <password>{}</password>", &["Xk8v", "Lq2mTz7w"]);
    assert!(reported(&line, "<password>", &v, Config));
    let (line, v) = fill(
        "<ns1:AuthToken>{}</ns1:AuthToken>",
        &["q8Zr2LmX9v", "Tb4KpW7nYc"],
    );
    assert!(reported(&line, "<ns1:", &v, Config));
    assert!(!reported(
        "<password>changeme</password>",
        "<password>",
        "changeme",
        Config
    ));
    assert!(!reported(
        "<keyAlias>release</keyAlias>",
        "<keyAlias>",
        "release",
        Config
    ));

    let (line, v) = fill(
        "dsn := \"shop:{}@tcp(db:3306)/shop\"",
        &["Xk8v", "Lq2mTz7w"],
    );
    assert!(reported(&line, "shop:", &v, Code));
    assert!(!reported(
        "dsn := \"root:root@tcp(db:3306)/x\"",
        "root:",
        "root",
        Code
    ));
    // Without the `@tcp(` that follows, `user:x` is a name and its value.
    let (line, v) = fill("shop:{}@db", &["Xk8v", "Lq2mTz7w"]);
    assert!(!reported(&line, "shop:", &v, Code));

    let (line, v) = fill(
        "c = DriverManager.getConnection(url, \"shop\", \"{}\");",
        &["Xk8v", "Lq2mTz7w"],
    );
    assert!(reported(&line, "DriverManager", &v, Code));
    let (line, v) = fill("$pdo = new PDO($dsn, $user, '{}');", &["Xk8v", "Lq2mTz7w"]);
    assert!(reported(&line, "PDO", &v, Code));
    assert!(!reported(
        "$pdo = new PDO($dsn, 'root', 'root');",
        "PDO",
        "root",
        Code
    ));
}

#[test]
fn a_password_flag_after_a_user_flag_from_the_line_start() {
    use FileKind::*;
    let (line, v) = fill("-u acmebot -p {} registry.acme.io", &["Xk8v", "Lq2mTz7w"]);
    assert!(reported(&line, "-u", &v, Config));
    let (line, v) = fill("mysql -h db -u root -p{} shop", &["Xk8v", "Lq2mTz7w"]);
    assert!(reported(&line, " -u", &v, Config));
    assert!(!reported(
        "docker run -u 1000 -p 8080:80 nginx",
        " -u",
        "8080:80",
        Config
    ));
}

#[test]
fn a_url_password_is_counted_in_characters() {
    use FileKind::*;
    let url = |line: &str, pw: &str| reported(line, line.split("://").next().unwrap(), pw, Code);
    // Assembled at run time: keyhook's own hook reads this file.
    let (line, pw) = fill("http://foo:{}@example.com/bar", &["\u{1F4A9}"]);
    assert!(!url(&line, &pw));
    let (line, pw) = fill("http://foo:{}@host.internal/bar", &["\u{1F4A9}", "kQ7x"]);
    assert!(url(&line, &pw));
}
