export { toStructuralSchema, jsonSchemaToStructural } from "./structural-schema.js";
export { StructuralSchemaError, type StructuralSchema } from "./structural-schema-types.js";
export { toCustomResourceDefinition, openAPIV3SchemaFor, crdName, type CustomResourceDefinition, type CustomResourceDefinitionVersion } from "./crd.js";
export { crdToYaml, GENERATED_HEADER } from "./crd-yaml.js";
export { renderCrdFiles, crdFileName, isGeneratedCrdFile, CRD_FILE_PREFIX } from "./crd-files.js";
