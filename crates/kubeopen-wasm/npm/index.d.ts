// The public API: exactly what api.js exports. The declarations themselves are generated from
// the Rust crate (typescript_custom_section and wasm-bindgen signatures) into dist/kubeopen.d.ts.
export {
  parseSegment,
  formatSegment,
  version,
  proxyPath,
  proxyUrl,
  parseProxyUrl,
  resolveAddress,
  KubeopenError,
  type KubeopenErrorCode,
  type Segment,
  type SegmentInput,
  type Target,
  type ParsedTarget,
  type Query,
  type ProxyUrlParts,
  type AddressOptions,
  type ResolvedAddress,
} from "./dist/kubeopen.js";
