export { exportOnnx, exportOnnxToDir, ONNX_INPUT, ONNX_OUTPUT, ONNX_OPSET, type OnnxExportOptions } from './export';
export { verifyOnnx, syntheticSamples, type OnnxVerification } from './verify';
