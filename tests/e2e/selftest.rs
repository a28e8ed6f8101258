//! `keyhook selftest` on this build: every canary whose provider family has
//! rules is blocked by one of them, the placeholder is allowed, the exit code
//! agrees with the lines printed, and the scratch repository is removed.

use crate::harness::TestRepo;
use keyhook::canary::CANARIES;

#[test]
fn selftest_blocks_every_family_with_rules_and_cleans_up() {
    let env = TestRepo::empty_dir();
    let tmp = env.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = env
        .command(crate::harness::KEYHOOK, env.path())
        .arg("selftest")
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    let run = crate::harness::Run::from_output(out);
    let rules = env.keyhook(&["rules", "list"]).stdout;
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("keyhook selftest: a fresh fake key per provider family"),
        "{}",
        run.stdout
    );
    assert_eq!(lines.len(), CANARIES.len() + 3, "{}", run.stdout);
    let mut with_rules = 0;
    let mut missed = 0;
    for (canary, line) in CANARIES.iter().zip(&lines[1..]) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let family: Vec<&str> = canary.family.split(' ').collect();
        assert_eq!(&fields[1..1 + family.len()], family.as_slice(), "{line}");
        // Every line names a time, and never the key itself: only its redacted form.
        assert!(fields[1 + family.len()].ends_with("ms"), "{line}");
        if fields[0] != "blocked" {
            missed += 1;
        }
        let has_rules = rules.lines().any(|l| l.starts_with(canary.rule_prefix));
        if has_rules {
            with_rules += 1;
            assert_eq!(fields[0], "blocked", "{line}");
            assert!(
                fields.iter().any(|f| f.starts_with(canary.rule_prefix)),
                "{} blocked by the wrong rule: {line}",
                canary.family
            );
            assert!(fields[2 + family.len()].ends_with('*'), "{line}");
        }
    }
    assert!(with_rules >= 3, "{rules}");
    let placeholder = lines[CANARIES.len() + 1];
    assert!(
        placeholder.starts_with("  allowed  .env.example "),
        "{placeholder}"
    );
    let last = lines[CANARIES.len() + 2];
    if missed == 0 {
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert_eq!(
            last,
            format!("keyhook selftest: {0} of {0} canaries blocked, placeholder allowed: the hook works", CANARIES.len())
        );
    } else {
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(last.starts_with("keyhook selftest: FAILED"), "{last}");
    }
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "scratch repository left behind"
    );
}
