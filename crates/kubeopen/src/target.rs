//! What a proxy URL points at: a service or pod (in a namespace) or a node, with an optional
//! scheme and port.
//!
//! Constructors validate the way the API server validates the objects when they are created
//! (spec §2.5): service names are DNS-1035 labels, pod and node names DNS-1123 subdomains,
//! namespaces DNS-1123 labels. A [`Target`] therefore always formats into a segment that
//! `SplitSchemeNamePort` splits back into the same parts, and needs no percent-encoding.
//!
//! **Ports.** A port is a number (1–65535) or a name. A string of ASCII digits is always a
//! *number* — that is how the API server reads it (`strconv.ParseInt`, spec §2.2), so an
//! all-digit service port name such as `"80"` can never be selected by name anyway; leading zeros
//! are accepted and dropped (`080` is port 80, as for the server). Anything else is a *name* and
//! must be a DNS-1123 label: that is the rule for service port names (`ValidateDNS1123Label`),
//! and it accepts every container port name too (IANA_SVC_NAME — at most 15 characters, at least
//! one letter, no `--` — is a strict subset). Pods are only reachable by port number in practice
//! (spec §2.3: the server does not look names up for pods); a name is still accepted, as the
//! server accepts it.

use std::borrow::Cow;
use std::fmt;

use crate::segment::{Scheme, SegmentError, push_scheme_name_port, split_scheme_name_port};
use crate::validation::{Problem, Rule, Violation, parse_port_number};

/// The kind of object proxied to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A Service (`/api/v1/namespaces/NS/services/…`).
    Service,
    /// A Pod (`/api/v1/namespaces/NS/pods/…`).
    Pod,
    /// A Node (`/api/v1/nodes/…`), not namespaced.
    Node,
}

impl Kind {
    /// The resource name in the URL path: `"services"`, `"pods"` or `"nodes"`.
    ///
    /// ```
    /// assert_eq!(kubeopen::target::Kind::Pod.resource(), "pods");
    /// ```
    pub const fn resource(self) -> &'static str {
        match self {
            Kind::Service => "services",
            Kind::Pod => "pods",
            Kind::Node => "nodes",
        }
    }

    /// The rule the object's name must follow.
    ///
    /// ```
    /// use kubeopen::{target::Kind, validation::Rule};
    /// assert_eq!(Kind::Service.name_rule(), Rule::Dns1035Label);
    /// ```
    pub const fn name_rule(self) -> Rule {
        match self {
            Kind::Service => Rule::Dns1035Label,
            Kind::Pod | Kind::Node => Rule::Dns1123Subdomain,
        }
    }

    /// Whether objects of this kind live in a namespace.
    ///
    /// ```
    /// assert!(!kubeopen::target::Kind::Node.is_namespaced());
    /// ```
    pub const fn is_namespaced(self) -> bool {
        !matches!(self, Kind::Node)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Service => "service",
            Kind::Pod => "pod",
            Kind::Node => "node",
        })
    }
}

/// A validated port: a number 1–65535 or a DNS-1123-label name (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Port(PortValue);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum PortValue {
    Number(u16),
    Name(String),
}

impl Port {
    /// Reads a port as the API server would: all digits is a number, anything else a name.
    ///
    /// ```
    /// use kubeopen::target::Port;
    /// assert_eq!(Port::parse("3000")?.as_number(), Some(3000));
    /// assert_eq!(Port::parse("080")?.to_string(), "80");
    /// assert_eq!(Port::parse("http-metrics")?.as_name(), Some("http-metrics"));
    /// assert!(Port::parse("70000").is_err());
    /// assert!(Port::parse("Web").is_err());
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn parse(port: &str) -> Result<Port, TargetError> {
        match parse_port_number(port) {
            Some(Ok(n)) => Ok(Port(PortValue::Number(n))),
            Some(Err(())) => Err(TargetError::field(
                Field::Port,
                port,
                Rule::PortNumber,
                Problem::OutOfRange,
                0,
            )),
            None => Rule::Dns1123Label
                .check(port)
                .map(|()| Port(PortValue::Name(port.to_owned())))
                .map_err(|v| TargetError::from_violation(Field::Port, port, v)),
        }
    }

    /// A port number; 0 is refused.
    ///
    /// ```
    /// use kubeopen::target::Port;
    /// assert_eq!(Port::number(443)?.to_string(), "443");
    /// assert!(Port::number(0).is_err());
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn number(n: u16) -> Result<Port, TargetError> {
        if n == 0 {
            return Err(TargetError::field(
                Field::Port,
                "0",
                Rule::PortNumber,
                Problem::OutOfRange,
                0,
            ));
        }
        Ok(Port(PortValue::Number(n)))
    }

    /// The number, when the port is one.
    ///
    /// ```
    /// assert_eq!(kubeopen::target::Port::parse("web")?.as_number(), None);
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn as_number(&self) -> Option<u16> {
        match self.0 {
            PortValue::Number(n) => Some(n),
            PortValue::Name(_) => None,
        }
    }

    /// The port as written in a segment (`Display` without formatting machinery); `digits` holds
    /// a number's text.
    fn as_str<'a>(&'a self, digits: &'a mut [u8; 5]) -> &'a str {
        match &self.0 {
            PortValue::Number(n) => format_port_number(*n, digits),
            PortValue::Name(name) => name,
        }
    }

    /// The name, when the port is one.
    ///
    /// ```
    /// assert_eq!(kubeopen::target::Port::parse("9090")?.as_name(), None);
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn as_name(&self) -> Option<&str> {
        match &self.0 {
            PortValue::Number(_) => None,
            PortValue::Name(name) => Some(name),
        }
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str(&mut [0; 5]))
    }
}

/// `n` in decimal, written into the end of `digits`.
fn format_port_number(mut n: u16, digits: &mut [u8; 5]) -> &str {
    let mut start = digits.len();
    for slot in digits.iter_mut().rev() {
        // `n % 10` is a single digit.
        #[allow(clippy::cast_possible_truncation)]
        let digit = (n % 10) as u8;
        *slot = b'0' + digit;
        start -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(digits.get(start..).unwrap_or_default()).unwrap_or_default()
}

/// The part of a target a [`TargetError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// The namespace.
    Namespace,
    /// The object's name; the kind says which rule applies.
    Name(Kind),
    /// The port.
    Port,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Namespace => f.write_str("namespace"),
            Field::Name(kind) => write!(f, "{kind} name"),
            Field::Port => f.write_str("port"),
        }
    }
}

/// Why a target is not valid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// A field broke its naming rule.
    #[error("invalid {field} {value:?}: {violation}")]
    Invalid {
        /// Which field.
        field: Field,
        /// The value as given.
        value: String,
        /// Which rule broke, how, and at which byte of `value`.
        violation: Violation,
    },
    /// The `[scheme:]name[:port]` segment itself does not split.
    #[error(transparent)]
    Segment(#[from] SegmentError),
    /// A namespace was given for a node, or none for a service or pod.
    #[error("a {kind} {}", if kind.is_namespaced() { "needs a namespace" } else { "has no namespace" })]
    Namespace {
        /// The kind of object.
        kind: Kind,
    },
}

impl TargetError {
    fn field(field: Field, value: &str, rule: Rule, problem: Problem, at: usize) -> TargetError {
        TargetError::from_violation(field, value, Violation { rule, problem, at })
    }

    fn from_violation(field: Field, value: &str, violation: Violation) -> TargetError {
        TargetError::Invalid {
            field,
            value: value.to_owned(),
            violation,
        }
    }
}

/// A validated proxy target. Build one with [`Target::service`], [`Target::pod`] or
/// [`Target::node`], then add a scheme and port.
///
/// ```
/// use kubeopen::segment::Scheme;
/// use kubeopen::target::{Port, Target};
///
/// let target = Target::service("monitoring", "grafana")?
///     .with_scheme(Some(Scheme::Https))
///     .with_port(Some(Port::parse("3000")?));
/// assert_eq!(target.segment(), "https:grafana:3000");
/// assert_eq!(target.namespace(), Some("monitoring"));
/// # Ok::<(), kubeopen::target::TargetError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Target {
    kind: Kind,
    /// The namespace (if any) followed by the name: one allocation rather than two, since a
    /// target is made on every parse.
    names: String,
    /// How many bytes of `names` are the namespace; `None` for nodes.
    namespace_len: Option<usize>,
    scheme: Option<Scheme>,
    port: Option<Port>,
}

/// Checks a target's namespace and name as [`Target::new`] does.
fn check_names(kind: Kind, namespace: Option<&str>, name: &str) -> Result<(), TargetError> {
    match (kind.is_namespaced(), namespace) {
        (true, Some(ns)) => Rule::Dns1123Label
            .check(ns)
            .map_err(|v| TargetError::from_violation(Field::Namespace, ns, v))?,
        (false, None) => {}
        _ => return Err(TargetError::Namespace { kind }),
    }
    kind.name_rule()
        .check(name)
        .map_err(|v| TargetError::from_violation(Field::Name(kind), name, v))
}

/// A validated [`Target`] whose namespace and name borrow from the text they were read from
/// where they could (not decoded, not lowercased): what parsers build, so that a caller that
/// only reads the parts allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetRef<'a>(TargetRepr<'a>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum TargetRepr<'a> {
    Parts {
        kind: Kind,
        namespace: Option<Cow<'a, str>>,
        name: Cow<'a, str>,
        scheme: Option<Scheme>,
        port: Option<Port>,
    },
    /// Once made owned: the [`Target`] itself, so that it becomes one without another copy.
    Owned(Target),
}

impl<'a> TargetRef<'a> {
    /// Validates as [`Target::new`] does.
    ///
    /// ```
    /// use kubeopen::target::{Kind, TargetRef};
    /// let t = TargetRef::new(Kind::Service, Some("ns".into()), "web".into())?;
    /// assert_eq!((t.namespace(), t.name()), (Some("ns"), "web"));
    /// assert!(TargetRef::new(Kind::Node, Some("ns".into()), "n1".into()).is_err());
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn new(
        kind: Kind,
        namespace: Option<Cow<'a, str>>,
        name: Cow<'a, str>,
    ) -> Result<TargetRef<'a>, TargetError> {
        check_names(kind, namespace.as_deref(), &name)?;
        Ok(TargetRef(TargetRepr::Parts {
            kind,
            namespace,
            name,
            scheme: None,
            port: None,
        }))
    }

    /// Reads and validates a segment as [`Target::from_segment`] does; the name borrows from
    /// `segment`.
    ///
    /// ```
    /// use kubeopen::target::{Kind, TargetRef};
    /// let t = TargetRef::from_segment(Kind::Node, None, "https:n1:10250")?;
    /// assert_eq!((t.name(), t.port().and_then(|p| p.as_number())), ("n1", Some(10250)));
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn from_segment(
        kind: Kind,
        namespace: Option<Cow<'a, str>>,
        segment: &'a str,
    ) -> Result<TargetRef<'a>, TargetError> {
        let (scheme, name, port) = split_scheme_name_port(segment)?;
        let port = if port.is_empty() {
            None
        } else {
            Some(Port::parse(port)?)
        };
        Ok(TargetRef::new(kind, namespace, Cow::Borrowed(name))?
            .with_scheme(scheme)
            .with_port(port))
    }

    /// The same target with this scheme.
    #[must_use]
    pub fn with_scheme(mut self, scheme: Option<Scheme>) -> TargetRef<'a> {
        match &mut self.0 {
            TargetRepr::Parts { scheme: slot, .. } => *slot = scheme,
            TargetRepr::Owned(t) => t.scheme = scheme,
        }
        self
    }

    /// The same target with this port.
    #[must_use]
    pub fn with_port(mut self, port: Option<Port>) -> TargetRef<'a> {
        match &mut self.0 {
            TargetRepr::Parts { port: slot, .. } => *slot = port,
            TargetRepr::Owned(t) => t.port = port,
        }
        self
    }

    /// The kind of object.
    pub fn kind(&self) -> Kind {
        match &self.0 {
            TargetRepr::Parts { kind, .. } => *kind,
            TargetRepr::Owned(t) => t.kind(),
        }
    }

    /// The namespace, as read (`None` for nodes).
    pub fn namespace(&self) -> Option<&str> {
        match &self.0 {
            TargetRepr::Parts { namespace, .. } => namespace.as_deref(),
            TargetRepr::Owned(t) => t.namespace(),
        }
    }

    /// The name, as read.
    pub fn name(&self) -> &str {
        match &self.0 {
            TargetRepr::Parts { name, .. } => name,
            TargetRepr::Owned(t) => t.name(),
        }
    }

    /// The scheme, if the segment had one.
    pub fn scheme(&self) -> Option<Scheme> {
        match &self.0 {
            TargetRepr::Parts { scheme, .. } => *scheme,
            TargetRepr::Owned(t) => t.scheme(),
        }
    }

    /// The port, if the segment had one.
    pub fn port(&self) -> Option<&Port> {
        match &self.0 {
            TargetRepr::Parts { port, .. } => port.as_ref(),
            TargetRepr::Owned(t) => t.port(),
        }
    }

    /// The owned [`Target`] (already validated: nothing is checked again).
    ///
    /// ```
    /// use kubeopen::target::{Kind, Target, TargetRef};
    /// let t = TargetRef::from_segment(Kind::Service, Some("ns".into()), "web:80")?;
    /// assert_eq!(t.into_target(), Target::from_segment(Kind::Service, Some("ns"), "web:80")?);
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn into_target(self) -> Target {
        match self.0 {
            TargetRepr::Parts {
                kind,
                namespace,
                name,
                scheme,
                port,
            } => Target::new_checked(kind, namespace.as_deref(), &name)
                .with_scheme(scheme)
                .with_port(port),
            TargetRepr::Owned(t) => t,
        }
    }

    /// [`TargetRef::into_target`] of a copy.
    pub fn to_target(&self) -> Target {
        self.clone().into_target()
    }

    /// Appends the segment, as [`Target::segment`] writes it.
    pub(crate) fn push_segment(&self, out: &mut String) {
        match &self.0 {
            TargetRepr::Parts {
                name, scheme, port, ..
            } => {
                let mut digits = [0u8; 5];
                let port = port.as_ref().map_or("", |port| port.as_str(&mut digits));
                push_scheme_name_port(out, *scheme, name, port);
            }
            TargetRepr::Owned(t) => t.push_segment(out),
        }
    }

    /// The same target owning its text.
    pub fn into_owned(self) -> TargetRef<'static> {
        TargetRef(TargetRepr::Owned(self.into_target()))
    }
}

impl From<Target> for TargetRef<'_> {
    fn from(target: Target) -> Self {
        TargetRef(TargetRepr::Owned(target))
    }
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("kind", &self.kind)
            .field("namespace", &self.namespace())
            .field("name", &self.name())
            .field("scheme", &self.scheme)
            .field("port", &self.port)
            .finish()
    }
}

impl Target {
    /// A service: the namespace is a DNS-1123 label, the name a DNS-1035 label.
    ///
    /// ```
    /// use kubeopen::target::Target;
    /// assert!(Target::service("default", "kubernetes").is_ok());
    /// let err = Target::service("default", "1st").unwrap_err();
    /// assert!(err.to_string().contains("service name \"1st\""), "{err}");
    /// ```
    pub fn service(namespace: &str, name: &str) -> Result<Target, TargetError> {
        Target::new(Kind::Service, Some(namespace), name)
    }

    /// A pod: the namespace is a DNS-1123 label, the name a DNS-1123 subdomain.
    ///
    /// ```
    /// assert!(kubeopen::target::Target::pod("default", "web-0").is_ok());
    /// ```
    pub fn pod(namespace: &str, name: &str) -> Result<Target, TargetError> {
        Target::new(Kind::Pod, Some(namespace), name)
    }

    /// A node: the name is a DNS-1123 subdomain.
    ///
    /// ```
    /// assert!(kubeopen::target::Target::node("ip-10-0-0-1.ec2.internal").is_ok());
    /// ```
    pub fn node(name: &str) -> Result<Target, TargetError> {
        Target::new(Kind::Node, None, name)
    }

    /// A target of any kind; `namespace` must be `Some` exactly for services and pods.
    ///
    /// ```
    /// use kubeopen::target::{Kind, Target};
    /// assert!(Target::new(Kind::Node, Some("default"), "n1").is_err());
    /// assert!(Target::new(Kind::Pod, Some("default"), "web-0").is_ok());
    /// ```
    pub fn new(kind: Kind, namespace: Option<&str>, name: &str) -> Result<Target, TargetError> {
        check_names(kind, namespace, name)?;
        Ok(Target::new_checked(kind, namespace, name))
    }

    /// A target whose names [`check_names`] accepted.
    fn new_checked(kind: Kind, namespace: Option<&str>, name: &str) -> Target {
        let namespace = namespace.unwrap_or("");
        let mut names = String::with_capacity(namespace.len() + name.len());
        names.push_str(namespace);
        names.push_str(name);
        Target {
            kind,
            names,
            namespace_len: kind.is_namespaced().then_some(namespace.len()),
            scheme: None,
            port: None,
        }
    }

    /// Reads a `[scheme:]name[:port]` segment (exactly `SplitSchemeNamePort`) and validates its
    /// parts; an empty port is no port.
    ///
    /// ```
    /// use kubeopen::segment::Scheme;
    /// use kubeopen::target::{Kind, Target};
    ///
    /// let t = Target::from_segment(Kind::Service, Some("kube-system"), "https:kubernetes-dashboard:")?;
    /// assert_eq!((t.scheme(), t.port()), (Some(Scheme::Https), None));
    /// assert_eq!(t.segment(), "https:kubernetes-dashboard:");
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn from_segment(kind: Kind, namespace: Option<&str>, segment: &str) -> Result<Target, TargetError> {
        let (scheme, name, port) = split_scheme_name_port(segment)?;
        let port = if port.is_empty() {
            None
        } else {
            Some(Port::parse(port)?)
        };
        Ok(Target::new(kind, namespace, name)?
            .with_scheme(scheme)
            .with_port(port))
    }

    /// The same target with this scheme (`None`: the API server uses `http`).
    ///
    /// ```
    /// use kubeopen::{segment::Scheme, target::Target};
    /// let t = Target::node("n1")?.with_scheme(Some(Scheme::Https));
    /// assert_eq!(t.segment(), "https:n1:");
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    #[must_use]
    pub fn with_scheme(mut self, scheme: Option<Scheme>) -> Target {
        self.scheme = scheme;
        self
    }

    /// The same target with this port.
    ///
    /// ```
    /// use kubeopen::target::{Port, Target};
    /// let t = Target::pod("default", "web-0")?.with_port(Some(Port::number(8080)?));
    /// assert_eq!(t.segment(), "web-0:8080");
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    #[must_use]
    pub fn with_port(mut self, port: Option<Port>) -> Target {
        self.port = port;
        self
    }

    /// The kind of object.
    ///
    /// ```
    /// use kubeopen::target::{Kind, Target};
    /// assert_eq!(Target::node("n1")?.kind(), Kind::Node);
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The namespace; `None` for nodes.
    ///
    /// ```
    /// assert_eq!(kubeopen::target::Target::node("n1")?.namespace(), None);
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn namespace(&self) -> Option<&str> {
        // Validated names are ASCII, so the cut is on a char boundary.
        self.namespace_len.and_then(|len| self.names.get(..len))
    }

    /// The object's name.
    ///
    /// ```
    /// assert_eq!(kubeopen::target::Target::node("n1")?.name(), "n1");
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn name(&self) -> &str {
        self.names
            .get(self.namespace_len.unwrap_or(0)..)
            .unwrap_or_default()
    }

    /// The scheme; `None` is Kubernetes' empty scheme.
    ///
    /// ```
    /// assert_eq!(kubeopen::target::Target::node("n1")?.scheme(), None);
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn scheme(&self) -> Option<Scheme> {
        self.scheme
    }

    /// The port, if one was given.
    ///
    /// ```
    /// assert_eq!(kubeopen::target::Target::node("n1")?.port(), None);
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn port(&self) -> Option<&Port> {
        self.port.as_ref()
    }

    /// The `{name}` segment of the proxy URL: `JoinSchemeNamePort(scheme, name, port)` exactly.
    ///
    /// ```
    /// use kubeopen::target::{Port, Target};
    /// let t = Target::service("ns", "web")?.with_port(Some(Port::parse("dns")?));
    /// assert_eq!(t.segment(), "web:dns");
    /// # Ok::<(), kubeopen::target::TargetError>(())
    /// ```
    pub fn segment(&self) -> String {
        let mut out = String::with_capacity(self.name().len() + 16);
        self.push_segment(&mut out);
        out
    }

    /// Appends [`Target::segment`] to `out`.
    pub(crate) fn push_segment(&self, out: &mut String) {
        let mut digits = [0u8; 5];
        let port = self.port.as_ref().map_or("", |port| port.as_str(&mut digits));
        push_scheme_name_port(out, self.scheme, self.name(), port);
    }
}

/// Serialised as the npm package's `ParsedTarget`: `{kind, namespace, name, scheme, port}` (no
/// `namespace` for nodes), `scheme` `""`/`"http"`/`"https"` and `port` a string (`""` for none), so
/// a target the core returns can be handed straight back to `proxyUrl`.
///
/// ```
/// use kubeopen::target::{Port, Target};
/// let t = Target::service("monitoring", "grafana")?.with_port(Some(Port::number(3000)?));
/// assert_eq!(
///     serde_json::to_string(&t)?,
///     r#"{"kind":"service","namespace":"monitoring","name":"grafana","scheme":"","port":"3000"}"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl serde::Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut digits = [0u8; 5];
        let port = self.port.as_ref().map_or("", |port| port.as_str(&mut digits));
        let kind = match self.kind {
            Kind::Service => "service",
            Kind::Pod => "pod",
            Kind::Node => "node",
        };
        let mut out = serializer.serialize_struct("Target", 5)?;
        out.serialize_field("kind", kind)?;
        match self.namespace() {
            Some(namespace) => out.serialize_field("namespace", namespace)?,
            None => out.skip_field("namespace")?,
        }
        out.serialize_field("name", self.name())?;
        out.serialize_field("scheme", self.scheme.map_or("", Scheme::as_str))?;
        out.serialize_field("port", port)?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Problem;

    fn invalid(err: TargetError) -> (Field, Problem, usize) {
        match err {
            TargetError::Invalid { field, violation, .. } => (field, violation.problem, violation.at),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    /// Spec §2.5: which rule applies to which field.
    #[test]
    fn rules_per_kind() {
        // DNS-1035 for services: no leading digit, no dots.
        assert_eq!(
            invalid(Target::service("ns", "9web").unwrap_err()),
            (Field::Name(Kind::Service), Problem::BadFirst('9'), 0)
        );
        assert_eq!(
            invalid(Target::service("ns", "a.b").unwrap_err()),
            (Field::Name(Kind::Service), Problem::Character('.'), 1)
        );
        // DNS-1123 subdomain for pods and nodes: digits first and dots are fine.
        assert!(Target::pod("ns", "9web.x").is_ok());
        assert!(Target::node("10.0.0.1").is_ok());
        assert_eq!(
            invalid(Target::node("n1.").unwrap_err()),
            (Field::Name(Kind::Node), Problem::EmptyLabel, 3)
        );
        // DNS-1123 label for namespaces: a digit first is fine, a dot is not.
        assert!(Target::service("1ns", "web").is_ok());
        assert_eq!(
            invalid(Target::pod("kube.system", "x").unwrap_err()),
            (Field::Namespace, Problem::Character('.'), 4)
        );
        // `.`/`..`, `/` and `%` (IsPathSegmentName) can never pass the DNS rules either.
        for name in [".", "..", "a/b", "a%2fb"] {
            assert!(Target::pod("ns", name).is_err(), "{name:?}");
        }
    }

    #[test]
    fn ports() {
        assert_eq!(Port::parse("65535").unwrap().as_number(), Some(65535));
        assert_eq!(
            invalid(Port::parse("65536").unwrap_err()),
            (Field::Port, Problem::OutOfRange, 0)
        );
        assert_eq!(
            invalid(Port::parse("0").unwrap_err()),
            (Field::Port, Problem::OutOfRange, 0)
        );
        // "+80" is numeric to ParseInt but is neither a plain number nor a name here.
        assert_eq!(
            invalid(Port::parse("+80").unwrap_err()),
            (Field::Port, Problem::Character('+'), 0)
        );
        // A service port name may be any DNS-1123 label, longer than IANA's 15 and with "--".
        assert!(Port::parse("a-very-long-port-name--ok").is_ok());
        assert_eq!(
            invalid(Port::parse("web-").unwrap_err()),
            (Field::Port, Problem::BadLast('-'), 3)
        );
    }

    #[test]
    fn debug_shows_the_fields() {
        let t = Target::service("ns", "web")
            .unwrap()
            .with_port(Some(Port::number(80).unwrap()));
        assert_eq!(
            format!("{t:?}"),
            "Target { kind: Service, namespace: Some(\"ns\"), name: \"web\", scheme: None, port: Some(Port(Number(80))) }"
        );
        let n = Target::node("n1").unwrap();
        assert_eq!(
            format!("{n:?}"),
            "Target { kind: Node, namespace: None, name: \"n1\", scheme: None, port: None }"
        );
        // Equality is by parts, not by how they are stored.
        assert_ne!(
            Target::service("ab", "c").unwrap(),
            Target::service("a", "bc").unwrap()
        );
    }

    #[test]
    fn port_numbers_format_like_display() {
        for n in [1, 9, 10, 99, 100, 443, 1000, 8080, 10000, 65535] {
            assert_eq!(Port::number(n).unwrap().to_string(), format!("{n}"));
        }
    }

    #[test]
    fn segments_follow_join_scheme_name_port() {
        let web = Target::service("ns", "web").unwrap();
        assert_eq!(web.segment(), "web");
        let https = web.clone().with_scheme(Some(Scheme::Https));
        assert_eq!(https.segment(), "https:web:");
        let port = Some(Port::parse("https").unwrap());
        assert_eq!(https.clone().with_port(port.clone()).segment(), "https:web:https");
        assert_eq!(web.with_port(port).segment(), "web:https");
        // `web:` normalises to `web` (spec §1.1 "aoeu:").
        let t = Target::from_segment(Kind::Service, Some("ns"), "web:").unwrap();
        assert_eq!((t.port(), t.segment().as_str()), (None, "web"));
    }

    #[test]
    fn from_segment_errors() {
        assert!(matches!(
            Target::from_segment(Kind::Service, Some("ns"), "ftp:web:21"),
            Err(TargetError::Segment(_))
        ));
        assert_eq!(
            invalid(Target::from_segment(Kind::Service, Some("ns"), "web:Http").unwrap_err()),
            (Field::Port, Problem::Character('H'), 0)
        );
        assert_eq!(
            Target::from_segment(Kind::Pod, None, "web"),
            Err(TargetError::Namespace { kind: Kind::Pod })
        );
        let msg = Target::service("ns", "Web").unwrap_err().to_string();
        assert_eq!(
            msg,
            "invalid service name \"Web\": 'W' is uppercase; only lowercase is allowed (at byte 0); \
             expected a DNS-1035 label (lowercase letters, digits and '-', starting with a letter, \
             ending with a letter or digit, at most 63 characters)"
        );
    }
}
