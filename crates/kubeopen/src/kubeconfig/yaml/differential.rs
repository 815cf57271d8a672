//! [`super::parser`] against `yaml-rust2` (full YAML 1.2, [`super::oracle`]): wherever both read a
//! document, they must read the same tree (marks aside, which the two place differently).

use super::{Node, NodeKind, oracle, parse};
use proptest::prelude::*;

/// A tree without marks, for comparison.
#[derive(Debug, PartialEq)]
enum Plain {
    Scalar(String, bool),
    Seq(Vec<Plain>),
    Map(Vec<(Plain, Plain)>),
}

fn plain(node: &Node) -> Plain {
    match &node.kind {
        NodeKind::Scalar { value, plain } => Plain::Scalar(value.clone(), *plain),
        NodeKind::Seq(items) => Plain::Seq(items.iter().map(plain).collect()),
        NodeKind::Map(entries) => Plain::Map(entries.iter().map(|(k, v)| (plain(k), plain(v))).collect()),
    }
}

/// Both parsers accept `text` and agree.
fn same(text: &str) {
    let ours = parse(text).unwrap_or_else(|e| panic!("ours failed: {e:?}\n{text}"));
    let theirs = oracle::parse(text).unwrap_or_else(|e| panic!("yaml-rust2 failed: {e:?}\n{text}"));
    assert_eq!(ours.as_ref().map(plain), theirs.as_ref().map(plain), "\n{text}");
}

/// A block scalar with only whitespace: yaml-rust2 reads `>\n` as `"\n"` where YAML 1.2.2
/// (example 8.6) says `""`, as ours does. Such documents are left out of the comparison.
fn blank_block_scalar(p: &Plain) -> bool {
    match p {
        Plain::Scalar(s, false) => !s.is_empty() && s.trim().is_empty(),
        Plain::Scalar(..) => false,
        Plain::Seq(items) => items.iter().any(blank_block_scalar),
        Plain::Map(entries) => entries
            .iter()
            .any(|(k, v)| blank_block_scalar(k) || blank_block_scalar(v)),
    }
}

#[test]
fn empty_block_scalars_follow_the_spec() {
    // YAML 1.2.2 example 8.6.
    let ours = parse("strip: >-\n\nclip: >\n\nkeep: |+\n\n")
        .unwrap()
        .map(|n| plain(&n));
    let s = |v: &str, p| Plain::Scalar(v.into(), p);
    assert_eq!(
        ours,
        Some(Plain::Map(vec![
            (s("strip", true), s("", false)),
            (s("clip", true), s("", false)),
            (s("keep", true), s("\n", false))
        ]))
    );
}

const FIXTURES: &[&str] = &[
    include_str!("../../../tests/fixtures/kubeconfig/all-auth-kinds.yaml"),
    include_str!("../../../tests/fixtures/kubeconfig/kubeconfig.json"),
    include_str!("../../../tests/fixtures/kubeconfig/no-current-context.yaml"),
    include_str!("../../../tests/fixtures/kubeconfig/dangling-current-context.yaml"),
    include_str!("../../../tests/fixtures/kubeconfig/dangling-references.yaml"),
    include_str!("../../../tests/fixtures/kubeconfig/invalid-users.yaml"),
    include_str!("../../../tests/fixtures/kubeconfig/broken-type.yaml"),
    include_str!("../../../tests/fixtures/kubeconfig/broken-base64.yaml"),
    include_str!("../../../tests/fixtures/kubeconfig/duplicate-names.yaml"),
    include_str!("../../../tests/fixtures/kubeconfig/duplicate-keys.yaml"),
];

#[test]
fn fixtures_read_the_same() {
    for text in FIXTURES {
        same(text);
    }
}

#[test]
fn yaml_features_read_the_same() {
    for text in [
        // kubectl's own layout: indentless sequences, compact mappings.
        "clusters:\n- cluster:\n    server: https://x\n  name: a\n- name: b\ncurrent-context: a\n",
        // Comments everywhere, CRLF, a BOM, document markers, a directive.
        "---\n# c\na: 1 # c\r\nb:\r\n  # c\r\n  - x\r\n...\n",
        // Quoting and escapes.
        "a: 'it''s'\nb: \"tab\\there \\u00e9 \\x41 \\U0001F600 \\\\ \\\"\"\nc: \"\"\nd: ''\n",
        "a: \"folded\n  over lines\n\n  and a blank\"\nb: 'single\n  folded'\nc: \"joined\\\n  here\"\n",
        // Plain multi-line scalars, ':' and '#' inside plain scalars.
        "a: one\n  two\n\n  three\nb: https://x:6443/#frag\nc: a#b\n- ignored\n"
            .split("- ignored")
            .next()
            .unwrap_or_default(),
        // Block scalars with every header.
        "a: |\n  line1\n   indented\n\n  line3\nb: >\n  folded\n  text\n\n  para\n   more\n  back\nc: |-\n  strip\n\nd: |+\n  keep\n\ne: |2\n    two\n",
        "- |\n  in a seq\n- >-\n  x\n  y\n- last\n",
        // Flow collections, nested, over lines, JSON style, trailing comma, empty.
        "a: {b: [1, 2, {c: d}], e: {}, f: []}\ng: [\n  x,\n  y,\n]\n",
        "{\"a\": {\"b\": [true, null, 1.5, \"s\"]},\n\t\"c\": \"d\"}\n",
        // Anchors, aliases, tags.
        "base: &b {server: 'https://x'}\ncopy: *b\nseq: &s\n  - 1\nagain: *s\ntagged: !!str 123\n",
        // Nested sequences and maps in sequences.
        "- - a\n  - b\n- k: v\n  k2:\n  - x\n- []\n-\n  nested: yes\n",
        // Empty values.
        "a:\nb: ~\nc: null\nd:\n  - \n",
        "",
        "# only comments\n\n",
        "just a scalar\n",
    ] {
        same(text);
    }
}

#[test]
fn directives_are_skipped() {
    // yaml-rust2's events make the wrapper count two documents here; read ours alone.
    let ours = parse("\u{feff}%YAML 1.2\n---\na: 1\n")
        .unwrap()
        .map(|n| plain(&n));
    assert_eq!(
        ours,
        Some(Plain::Map(vec![(
            Plain::Scalar("a".into(), true),
            Plain::Scalar("1".into(), true)
        )]))
    );
}

/// A random tree rendered as YAML in mixed styles.
fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        "[a-z][a-z0-9-]{0,8}".prop_map(Tree::Plain),
        "[ -~]{0,12}".prop_map(Tree::Double),
        "[ -~]{0,12}".prop_map(Tree::Single),
        // Whitespace-only block scalars are an edge the two parsers read differently (not kubeconfig).
        "[a-z][a-z ]{0,19}".prop_map(Tree::Literal),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Tree::Seq),
            proptest::collection::vec(("[a-z][a-z0-9-]{0,6}", inner.clone()), 0..5).prop_map(Tree::Map),
            proptest::collection::vec(inner, 0..4).prop_map(Tree::Flow),
        ]
    })
}

#[derive(Clone, Debug)]
enum Tree {
    Plain(String),
    Double(String),
    Single(String),
    Literal(String),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
    Flow(Vec<Tree>),
}

fn flow(t: &Tree) -> String {
    match t {
        Tree::Plain(s) => s.clone(),
        Tree::Double(s) | Tree::Literal(s) => format!("{:?}", s).replace("\\'", "'"),
        Tree::Single(s) => format!("'{}'", s.replace('\'', "''")),
        Tree::Seq(items) | Tree::Flow(items) => {
            format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", "))
        }
        Tree::Map(entries) => {
            format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", flow(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

/// Renders `t` as the value after `key:` or `-` at `indent`.
fn block(t: &Tree, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match t {
        Tree::Seq(items) if !items.is_empty() => {
            out.push('\n');
            for item in items {
                out.push_str(&format!("{pad}-"));
                block(item, indent + 2, out);
            }
        }
        Tree::Map(entries) if !entries.is_empty() => {
            let mut seen = std::collections::BTreeSet::new();
            out.push('\n');
            for (k, v) in entries {
                if seen.insert(k.clone()) {
                    out.push_str(&format!("{pad}{k}:"));
                    block(v, indent + 2, out);
                }
            }
        }
        Tree::Literal(s) => out.push_str(&format!(" |\n{pad}{}\n", s.trim())),
        other => out.push_str(&format!(" {}\n", flow(other))),
    }
}

proptest! {
    #[test]
    fn generated_documents_read_the_same(t in tree()) {
        let mut text = String::from("root:");
        block(&t, 2, &mut text);
        let ours = parse(&text);
        let theirs = oracle::parse(&text);
        if let (Ok(ours), Ok(theirs)) = (&ours, &theirs) {
            prop_assert_eq!(ours.as_ref().map(plain), theirs.as_ref().map(plain), "\n{}", text);
        } else {
            // Flow mappings may repeat keys and Debug escapes may not be YAML: both must refuse alike.
            prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "\n{}\nours: {:?}\ntheirs: {:?}", text, ours.err(), theirs.err());
        }
    }

    #[test]
    fn random_text_never_reads_differently(text in "[-a-z:#&*'\" \\[\\]{},|>\n]{0,60}") {
        if let (Ok(ours), Ok(theirs)) = (parse(&text), oracle::parse(&text))
            && !theirs.as_ref().is_some_and(|t| blank_block_scalar(&plain(t)))
        {
            prop_assert_eq!(ours.as_ref().map(plain), theirs.as_ref().map(plain), "\n{:?}", text);
        }
    }
}
