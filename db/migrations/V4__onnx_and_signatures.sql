-- ONNX as a third model format (run by ONNX Runtime), and the signature read from a model file at upload
ALTER TABLE model_version DROP CONSTRAINT model_version_format_check;
ALTER TABLE model_version ADD CONSTRAINT model_version_format_check CHECK (format IN ('TORCHSCRIPT', 'MAR', 'ONNX'));

-- inputs and outputs (name, KServe datatype, shape) as JSON; NULL where the format records none (TorchScript, .mar)
ALTER TABLE model_version ADD COLUMN signature TEXT;
