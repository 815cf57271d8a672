//! YAML (and JSON, which YAML 1.2 contains) to a small tree whose nodes remember their line and
//! column, so every later error can say where it is. The parser is [`parser`], written for the
//! subset kubeconfigs use.
//!
//! Limits keep hostile input cheap: nesting depth ([`MAX_DEPTH`]) and the number of nodes after
//! alias expansion ([`MAX_NODES`], so `*alias` bombs fail fast instead of exhausting memory).

#[cfg(test)]
mod differential;
mod parser;

/// Deepest nesting accepted; a kubeconfig needs 6 (`users[].user.exec.env[].name`), extensions
/// a few more.
pub(crate) const MAX_DEPTH: usize = 64;
/// Most nodes accepted, counting alias expansions; a 1 MB kubeconfig has ~100 000.
pub(crate) const MAX_NODES: usize = 4_000_000;

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Mark {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub mark: Mark,
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NodeKind {
    /// `plain` is false for quoted and block scalars, which are always strings.
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A syntax problem and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub mark: Mark,
    pub message: String,
}

/// Parses the first document; `Ok(None)` for an empty stream. A second document is an error
/// (a kubeconfig is one object; silently reading only the first would hide the rest).
pub(crate) fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    parser::parse(text)
}

impl Node {
    /// A plain scalar that YAML resolves to null (`~`, `null`, empty).
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, plain: true } if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The value as JSON, resolving plain scalars like YAML's core schema (null, booleans,
    /// integers, finite floats; everything else is a string). Mapping keys become strings.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Scalar { value, plain: false } => Value::String(value.clone()),
            NodeKind::Scalar { value, plain: true } => {
                if self.is_null() {
                    return Value::Null;
                }
                match value.as_str() {
                    "true" | "True" | "TRUE" => return Value::Bool(true),
                    "false" | "False" | "FALSE" => return Value::Bool(false),
                    _ => {}
                }
                if let Ok(i) = value.parse::<i64>() {
                    return Value::from(i);
                }
                let numeric = value.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
                    && value.bytes().any(|b| b.is_ascii_digit());
                match value.parse::<f64>().ok().filter(|f| numeric && f.is_finite()) {
                    Some(f) => serde_json::Number::from_f64(f)
                        .map_or_else(|| Value::String(value.clone()), Value::Number),
                    None => Value::String(value.clone()),
                }
            }
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                // Inserting one by one: collecting into the map would pull in a sort (wasm size).
                let mut map = serde_json::Map::new();
                for (k, v) in entries {
                    let key = match &k.kind {
                        NodeKind::Scalar { value, .. } => value.clone(),
                        _ => k.to_json().to_string(),
                    };
                    map.insert(key, v.to_json());
                }
                Value::Object(map)
            }
        }
    }
}

/// `yaml-rust2`, the full YAML 1.2 parser this module replaced, kept as the reference the tests
/// compare [`parser`] with.
#[cfg(test)]
pub(crate) mod oracle {
    use super::{MAX_DEPTH, MAX_NODES, Mark, Node, NodeKind, SyntaxError};
    use yaml_rust2::parser::{Event, Parser};
    use yaml_rust2::scanner::{Marker, TScalarStyle};

    impl From<&Marker> for Mark {
        fn from(m: &Marker) -> Mark {
            Mark {
                line: m.line(),
                column: m.col() + 1,
            }
        }
    }

    fn fail<T>(mark: Mark, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            mark,
            message: message.into(),
        })
    }

    /// A collection being built, with its anchor id (0: none).
    enum Frame {
        Seq(Node, usize),
        Map(Node, usize, Option<Node>),
    }

    /// Parses the first document; `Ok(None)` for an empty stream. A second document is an error
    /// (a kubeconfig is one object; silently reading only the first would hide the rest).
    pub(crate) fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
        let mut parser = Parser::new_from_str(text);
        let mut stack: Vec<Frame> = Vec::new();
        // Anchor ids count up from 1 in document order, so a vector indexed by id is the map.
        let mut anchors: Vec<Option<(Node, usize)>> = Vec::new();
        let mut nodes = 0usize;
        let mut root: Option<Node> = None;
        let mut documents = 0;
        loop {
            let (event, marker) = match parser.next_token() {
                Ok(pair) => pair,
                Err(e) => return fail(Mark::from(e.marker()), e.info()),
            };
            let mark = Mark::from(&marker);
            let (node, anchor, size) = match event {
                Event::StreamEnd => break,
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        return fail(
                            mark,
                            "a kubeconfig is a single YAML document, but a second one starts here",
                        );
                    }
                    continue;
                }
                Event::Nothing | Event::StreamStart | Event::DocumentEnd => continue,
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    if stack.len() >= MAX_DEPTH {
                        return fail(mark, format!("nesting deeper than {MAX_DEPTH} levels"));
                    }
                    let seq = matches!(event, Event::SequenceStart(..));
                    let node = Node {
                        mark,
                        kind: if seq {
                            NodeKind::Seq(Vec::new())
                        } else {
                            NodeKind::Map(Vec::new())
                        },
                    };
                    stack.push(if seq {
                        Frame::Seq(node, anchor)
                    } else {
                        Frame::Map(node, anchor, None)
                    });
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                    Some(Frame::Seq(node, anchor) | Frame::Map(node, anchor, None)) => {
                        let size = subtree_size(&node);
                        (node, anchor, size)
                    }
                    Some(Frame::Map(_, _, Some(key))) => return fail(key.mark, "a mapping key has no value"),
                    None => return fail(mark, "unbalanced end of a collection"),
                },
                Event::Scalar(value, style, anchor, _tag) => {
                    let plain = matches!(style, TScalarStyle::Plain);
                    (
                        Node {
                            mark,
                            kind: NodeKind::Scalar { value, plain },
                        },
                        anchor,
                        1,
                    )
                }
                Event::Alias(id) => match anchors.get(id) {
                    Some(Some((node, size))) => (node.clone(), 0, *size),
                    None | Some(None) => return fail(mark, "an alias refers to an unknown anchor"),
                },
            };
            nodes = nodes.saturating_add(size);
            if nodes > MAX_NODES {
                return fail(
                    mark,
                    format!("more than {MAX_NODES} nodes (after expanding aliases)"),
                );
            }
            if anchor != 0 {
                if anchors.len() <= anchor {
                    anchors.resize(anchor + 1, None);
                }
                if let Some(slot) = anchors.get_mut(anchor) {
                    *slot = Some((node.clone(), size));
                }
            }
            match stack.last_mut() {
                None => root = Some(node),
                Some(Frame::Seq(
                    Node {
                        kind: NodeKind::Seq(items),
                        ..
                    },
                    _,
                )) => items.push(node),
                Some(Frame::Map(
                    Node {
                        kind: NodeKind::Map(entries),
                        ..
                    },
                    _,
                    pending,
                )) => match pending.take() {
                    None => *pending = Some(node),
                    Some(key) => entries.push((key, node)),
                },
                Some(_) => return fail(mark, "internal: collection frame mismatch"),
            }
        }
        Ok(root)
    }

    /// Nodes in a subtree, iteratively (aliases may make it large).
    fn subtree_size(node: &Node) -> usize {
        let mut n = 0usize;
        let mut todo = vec![node];
        while let Some(node) = todo.pop() {
            n += 1;
            match &node.kind {
                NodeKind::Scalar { .. } => {}
                NodeKind::Seq(items) => todo.extend(items),
                NodeKind::Map(entries) => todo.extend(entries.iter().flat_map(|(k, v)| [k, v])),
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(value: &str) -> NodeKind {
        NodeKind::Scalar {
            value: value.into(),
            plain: true,
        }
    }

    #[test]
    fn marks_are_one_based() {
        let root = parse("a:\n  b: c\n").unwrap().unwrap();
        let NodeKind::Map(entries) = &root.kind else {
            panic!()
        };
        let NodeKind::Map(inner) = &entries[0].1.kind else {
            panic!()
        };
        assert_eq!(inner[0].0.mark, Mark { line: 2, column: 3 });
        assert_eq!(inner[0].1.kind, scalar("c"));
    }

    #[test]
    fn json_is_yaml() {
        let root = parse(r#"{"a":[1,"x",true,null],"b":{}}"#).unwrap().unwrap();
        assert_eq!(root.to_json(), serde_json::json!({"a":[1,"x",true,null],"b":{}}));
    }

    #[test]
    fn aliases_expand_and_bombs_stop() {
        let root = parse("a: &x [1, 2]\nb: *x\n").unwrap().unwrap();
        assert_eq!(root.to_json(), serde_json::json!({"a":[1,2],"b":[1,2]}));
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse(&bomb).unwrap_err();
        assert!(err.message.contains("nodes"), "{err:?}");
    }

    #[test]
    fn depth_is_limited() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nesting"), "{err:?}");
        assert_eq!(err.mark.line, 1);
        let ok = MAX_DEPTH - 1;
        assert!(parse(&format!("{}{}", "[".repeat(ok), "]".repeat(ok))).is_ok());
        let block: String = (0..MAX_DEPTH + 1)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(parse(&block).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn scalars_resolve_like_the_core_schema() {
        let root = parse("[~, '', 1.5, 1e3, .inf, 0x1F, '1', yes, -7]")
            .unwrap()
            .unwrap();
        assert_eq!(
            root.to_json(),
            serde_json::json!([null, "", 1.5, 1000.0, ".inf", "0x1F", "1", "yes", -7])
        );
    }

    #[test]
    fn empty_and_second_documents() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# only a comment\n").unwrap(), None);
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.mark.line, 2);
    }
}
