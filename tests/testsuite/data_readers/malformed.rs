//! Files that are not what a reader needs, each refused with its message: a class count, shape
//! or dtype other than the preset's, probabilities that are not, truncated or corrupt bytes, an
//! npz member unlike its header, no classes or no samples, and CSV lines and headers that break
//! the format.
use super::*;

#[test]
fn a_class_count_other_than_the_presets_is_refused() {
    let five = npy("<f4", false, "(6, 5)", &f32_bytes(&[0.0; 30]));
    assert_eq!(
        error_of(read_pair(&five, &good_labels())),
        "a.npy: logits has 5 columns, the preset has 4 classes"
    );
    let tensors = safetensors(&[
        (
            "probabilities",
            "F32",
            &[1, 3],
            &f32_bytes(&[0.5, 0.25, 0.25]),
        ),
        ("labels", "I64", &[1], &i64_bytes(&[0])),
    ]);
    assert_eq!(
        error_of(read_bytes(
            &tensors,
            Format::Safetensors,
            "v.safetensors",
            None
        )),
        "v.safetensors: probabilities has 3 columns, the preset has 4 classes"
    );
    assert_eq!(
        error_of(read_csv("0,1,2,3\n")),
        "v.csv: line 1, after the label, has 3 columns, the preset has 4 classes"
    );
}

#[test]
fn wrong_shapes_are_refused() {
    let cube = npy("<f4", false, "(6, 2, 2)", &f32_bytes(&[0.0; 24]));
    assert_eq!(
        error_of(read_pair(&cube, &good_labels())),
        "a.npy: logits has shape (6, 2, 2), expected (samples, classes)"
    );
    let flat = npy("<f4", false, "(24,)", &f32_bytes(&[0.0; 24]));
    assert_eq!(
        error_of(read_pair(&flat, &good_labels())),
        "a.npy: logits has shape (24,), expected (samples, classes)"
    );
    let wide_labels = npy("<i8", false, "(6, 2)", &i64_bytes(&[0; 12]));
    assert_eq!(
        error_of(read_pair(&logits_npy(|_| {}), &wide_labels)),
        "b.npy: labels has shape (6, 2), expected (samples,) or (samples, 1)"
    );
    let scalar = npy("<i8", false, "()", &i64_bytes(&[0]));
    assert_eq!(
        error_of(read_pair(&logits_npy(|_| {}), &scalar)),
        "b.npy: labels has shape (), expected (samples,) or (samples, 1)"
    );
}

#[test]
fn unsupported_dtypes_are_refused_by_name() {
    let float_labels = fixture_bytes("labels_float.npy");
    assert_eq!(
        error_of(read_pair(&logits_npy(|_| {}), &float_labels)),
        "b.npy: labels has dtype '<f8', expected an integer type"
    );
    let complex = npy("<c8", false, "(6, 4)", &[0; 192]);
    assert_eq!(
        error_of(read_pair(&complex, &good_labels())),
        "a.npy: logits has dtype '<c8', expected float32 or float64"
    );
    let integers = npy("<i4", false, "(6, 4)", &[0; 96]);
    assert_eq!(
        error_of(read_pair(&integers, &good_labels())),
        "a.npy: logits has dtype '<i4', expected float32 or float64"
    );
    let half = npy("<f2", false, "(6, 4)", &[0; 48]);
    assert_eq!(
        error_of(read_pair(&half, &good_labels())),
        "a.npy: logits has dtype '<f2', expected float32 or float64"
    );
    let bools = npy("|b1", false, "(6,)", &[0; 6]);
    assert_eq!(
        error_of(read_pair(&logits_npy(|_| {}), &bools)),
        "b.npy: labels has dtype '|b1', expected an integer type"
    );
    let tensors = safetensors(&[
        ("logits", "BF16", &[6, 4], &[0; 48]),
        ("labels", "I64", &[6], &i64_bytes(&[0; 6])),
    ]);
    assert_eq!(
        error_of(read_bytes(
            &tensors,
            Format::Safetensors,
            "v.safetensors",
            None
        )),
        "v.safetensors: logits has dtype BF16, expected float32 or float64"
    );
    let archive = npz(&[
        ("logits", &logits_npy(|_| {})),
        ("labels", &npy("<f4", false, "(6,)", &[0; 24])),
    ]);
    assert_eq!(
        error_of(read_bytes(&archive, Format::Npz, "v.npz", None)),
        "v.npz: labels has dtype '<f4', expected an integer type"
    );
}

#[test]
fn probabilities_must_be_non_negative_and_sum_to_one() {
    let probabilities = |values: &[f64]| {
        safetensors(&[
            ("probabilities", "F64", &[2, 4], &f64_bytes(values)),
            ("labels", "U8", &[2], &[0, 1]),
        ])
    };
    let negative = probabilities(&[0.5, 0.5, 0.0, 0.0, 0.5, 0.75, -0.25, 0.0]);
    assert_eq!(
        error_of(read_bytes(
            &negative,
            Format::Safetensors,
            "p.safetensors",
            None
        )),
        "p.safetensors: probabilities row 1, column 2 (class3) is -0.25, a probability cannot be negative"
    );
    let short = probabilities(&[0.5, 0.5, 0.0, 0.0, 0.5, 0.25, 0.125, 0.0]);
    assert_eq!(
        error_of(read_bytes(
            &short,
            Format::Safetensors,
            "p.safetensors",
            None
        )),
        "p.safetensors: probabilities row 1 sums to 0.875, expected 1 (within 0.001)"
    );
    let logits_as_probabilities = npz(&[
        (
            "probabilities",
            &npy("<f4", false, "(6, 4)", &f32_bytes(&as_f32(&logits()))),
        ),
        ("labels", &good_labels()),
    ]);
    assert_eq!(
        error_of(read_bytes(
            &logits_as_probabilities,
            Format::Npz,
            "p.npz",
            None
        )),
        "p.npz: probabilities row 0, column 0 (class1) is -1, a probability cannot be negative"
    );
}

#[test]
fn truncated_and_corrupt_binary_files_are_refused() {
    let whole = fixture_bytes("logits_f32.npy");
    assert_eq!(
        error_of(read_pair(&whole[..whole.len() - 1], &good_labels())),
        "a.npy: logits: the file holds 95 bytes after the header, shape (6, 4) of '<f4' needs 96"
    );
    assert_eq!(
        error_of(read_pair(&whole[..100], &good_labels())),
        "a.npy: logits: the .npy header ends early"
    );
    assert_eq!(
        error_of(read_pair(b"", &good_labels())),
        "a.npy: logits: not a .npy array (the file ends after 0 bytes)"
    );
    let stored = fixture_bytes("stored.npz");
    assert_eq!(
        error_of(read_bytes(
            &stored[..stored.len() - 30],
            Format::Npz,
            "v.npz",
            None
        )),
        "v.npz: not a valid .npz (zip) archive: invalid Zip archive: Could not find EOCD"
    );
    // A flipped bit in deflated data: the decoder or the CRC-32 catches it.
    let mut compressed = fixture_bytes("compressed.npz");
    compressed[60] ^= 0x10;
    let message = error_of(read_bytes(&compressed, Format::Npz, "v.npz", None));
    assert!(
        message.starts_with("v.npz: logits") && message.contains("corrupt"),
        "{message}"
    );
    // A flipped bit in stored data is caught by the CRC-32.
    let mut flipped = stored.clone();
    let last_logit = 38 + 128 + 95;
    flipped[last_logit] ^= 0x01;
    assert_eq!(
        error_of(read_bytes(&flipped, Format::Npz, "v.npz", None)),
        "v.npz: logits is corrupt: Invalid checksum"
    );
    let tensors = fixture_bytes("outputs.safetensors");
    assert_eq!(
        error_of(read_bytes(
            &tensors[..tensors.len() - 4],
            Format::Safetensors,
            "v.safetensors",
            None
        )),
        "v.safetensors: tensor 'logits': data_offsets [48, 144] run outside the 140 bytes of data"
    );
    assert_eq!(
        error_of(read_bytes(
            &tensors[..20],
            Format::Safetensors,
            "v.safetensors",
            None
        )),
        "v.safetensors: the safetensors header claims 176 bytes, the file has 12 after the length"
    );
    let mut bad_json = tensors.clone();
    bad_json[8] = b'[';
    assert_eq!(
        error_of(read_bytes(
            &bad_json,
            Format::Safetensors,
            "v.safetensors",
            None
        )),
        "v.safetensors: the safetensors header is not a JSON object: invalid type: sequence, expected a map at line 1 column 0"
    );
    let wrong_size = safetensors(&[
        ("logits", "F32", &[6, 4], &f32_bytes(&[0.0; 23])),
        ("labels", "I64", &[6], &i64_bytes(&[0; 6])),
    ]);
    assert_eq!(
        error_of(read_bytes(
            &wrong_size,
            Format::Safetensors,
            "v.safetensors",
            None
        )),
        "v.safetensors: tensor 'logits': data_offsets [0, 92] hold 92 bytes, shape (6, 4) of F32 needs 96"
    );
}

#[test]
fn an_npz_member_must_match_its_header() {
    let mut short_logits = logits_npy(|_| {});
    short_logits.truncate(short_logits.len() - 8);
    let archive = npz(&[("logits", &short_logits), ("labels", &good_labels())]);
    assert_eq!(
        error_of(read_bytes(&archive, Format::Npz, "v.npz", None)),
        "v.npz: logits: the member holds 216 bytes, its header (shape (6, 4) of '<f4') needs 224"
    );
}

#[test]
fn a_preset_without_classes_reads_nothing_and_never_panics() {
    let none: Vec<String> = Vec::new();
    let read_with_no_classes = |bytes: &[u8], format, labels: Option<&[u8]>| {
        read::read(
            Cursor::new(bytes),
            format,
            "v",
            labels.map(|bytes| (Cursor::new(bytes), "l")),
            &none,
            &mut no_progress(),
        )
        .unwrap_err()
        .to_string()
    };
    let empty_columns = npy("<f4", false, "(6, 0)", &[]);
    assert_eq!(
        read_with_no_classes(&empty_columns, Format::Npy, Some(&good_labels())),
        "v: logits has shape (6, 0), expected (samples, classes) with at least one class"
    );
    assert_eq!(
        read_with_no_classes(&fixture_bytes("stored.npz"), Format::Npz, None),
        "v: logits has 4 columns, the preset has 0 classes"
    );
    assert_eq!(
        read_with_no_classes(b"0\n", Format::Csv, None),
        "v: line 1, column 1 (label) is 0, expected a class index from 0 to 0"
    );
}

#[test]
fn files_without_samples_are_refused() {
    let empty = npy("<f4", false, "(0, 4)", &[]);
    assert_eq!(
        error_of(read_pair(&empty, &labels_npy(&[]))),
        "a.npy: no samples (0 rows)"
    );
    assert_eq!(error_of(read_csv("")), "v.csv: no samples (0 rows)");
    assert_eq!(
        error_of(read_csv("label,class1,class2,class3,class4 (debris)\n")),
        "v.csv: no samples (0 rows)"
    );
}

#[test]
fn csv_refusals_name_the_line_and_column() {
    assert_eq!(
        error_of(read_csv("0,1,2,3,4\n1,1,2,3\n")),
        "v.csv: line 2 has 4 fields, expected 5 (as on line 1)"
    );
    assert_eq!(
        error_of(read_csv(
            "label,class1,class2,class3,class4 (debris)\n0,1,2,3,4\n0,1,2,3,4,5\n"
        )),
        "v.csv: line 3 has 6 fields, expected 5 (as on line 1)"
    );
    assert_eq!(
        error_of(read_csv(
            "class2,label,class1,class3,class4 (debris)\n1,0,x2,3,4\n"
        )),
        "v.csv: line 2, column 3 (class1): 'x2' is not a number"
    );
    assert_eq!(
        error_of(read_csv("0,1,2,3,4\n0,1,2,,4\n")),
        "v.csv: line 2, column 4 (class3): '' is not a number"
    );
}

#[test]
fn csv_headers_must_name_every_class_and_the_label_once() {
    assert_eq!(
        error_of(read_csv("label,class1,class2,class3,dog\n0,1,2,3,4\n")),
        "v.csv: column 'dog' names no class of the preset (class1, class2, class3, class4 (debris))"
    );
    assert_eq!(
        error_of(read_csv("label,class1,class2,class3\n0,1,2,3\n")),
        "v.csv: the header has no column 'class4 (debris)'"
    );
    assert_eq!(
        error_of(read_csv("class1,class2,class3,class4 (debris)\n1,2,3,4\n")),
        "v.csv: the header has no column 'label'"
    );
    assert_eq!(
        error_of(read_csv(
            "label,class1,class2,class1,class4 (debris)\n0,1,2,3,4\n"
        )),
        "v.csv: column 'class1' appears twice in the header"
    );
}
