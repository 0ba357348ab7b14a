-- What a TorchScript or .mar model's input and output are called (the files record no names); NULL means the
-- runtime's input0 and output0. ONNX models name their own and leave these NULL.
ALTER TABLE model_version
    ADD COLUMN input_name  VARCHAR(100) CHECK (input_name ~ '^[A-Za-z_][A-Za-z0-9_.:/-]{0,99}$'),
    ADD COLUMN output_name VARCHAR(100) CHECK (output_name ~ '^[A-Za-z_][A-Za-z0-9_.:/-]{0,99}$');
