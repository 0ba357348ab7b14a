-- The image pre- and post-processing of a version, beyond the crop-and-normalise of V1: a preset, colour order, how
-- the image is fitted (crop, stretch, pad), scale and offset normalisation, layout, softmax and top-k
ALTER TABLE model_version
    ADD COLUMN image_preset   VARCHAR(20) CHECK (image_preset IN ('imagenet', 'digits-8x8', 'text-line-48')),
    ADD COLUMN image_color    VARCHAR(10) CHECK (image_color IN ('RGB', 'BGR', 'GRAYSCALE')),
    ADD COLUMN image_fit      VARCHAR(10) CHECK (image_fit IN ('CROP', 'STRETCH', 'PAD')),
    ADD COLUMN image_width    INTEGER     CHECK (image_width BETWEEN 1 AND 4096),
    ADD COLUMN image_height   INTEGER     CHECK (image_height BETWEEN 1 AND 4096),
    ADD COLUMN image_scale    VARCHAR(200),
    ADD COLUMN image_offset   VARCHAR(200),
    ADD COLUMN image_layout   VARCHAR(4)  CHECK (image_layout IN ('NCHW', 'NHWC')),
    ADD COLUMN output_softmax BOOLEAN,
    ADD COLUMN output_topk    INTEGER     CHECK (output_topk BETWEEN 1 AND 1000);
