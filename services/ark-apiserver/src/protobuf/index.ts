export { decodeK8sProtobuf, isProtobuf, ProtobufDecodeError } from "./decode.js";
