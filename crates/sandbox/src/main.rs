//! `kubeopen-sandbox`: a local stand-in for kube-apiserver (see `crates/sandbox/README.md`).
//! Everything lives in the library (`src/lib.rs`), which the fuzz targets also use.

fn main() -> std::process::ExitCode {
    kubeopen_sandbox::main()
}
