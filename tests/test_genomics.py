"""Data and loaders of notebook 07: course.genomics."""

import io

import numpy as np
import pytest

from course import genomics as g


def _count(sequence: str, motif: str) -> int:
    return sum(sequence.startswith(motif, i) for i in range(len(sequence)))


# --- the generated data set -------------------------------------------------------------------

def test_default_data_follow_the_primer():
    sequences, labels, starts = g.make_motif_dataset(seed=0)
    assert len(sequences) == 2000 and {len(s) for s in sequences} == {50}
    assert labels.shape == starts.shape == (2000,)
    assert labels.dtype == np.int64 and starts.dtype == np.int64
    assert labels.sum() == 987 and (labels == 0).sum() == 1013
    assert set("".join(sequences)) == set("ACGT")
    positive = labels == 1
    assert np.all(starts[~positive] == -1)
    assert starts[positive].min() == 0 and starts[positive].max() == 37
    assert set(starts[positive].tolist()) == set(range(38))  # every start position occurs
    for sequence, label, start in zip(sequences, labels, starts):
        assert _count(sequence, g.MOTIF) == label  # exactly one copy in positives, none else
        if label:
            assert sequence[start:start + 12] == g.MOTIF


def test_positives_and_negatives_are_mixed():
    _, labels, _ = g.make_motif_dataset(seed=3)
    # not sorted by class: about half positives in each half of the data
    assert 0.4 < labels[:1000].mean() < 0.6 and 0.4 < labels[1000:].mean() < 0.6


def test_background_bases_are_uniform():
    sequences, labels, _ = g.make_motif_dataset(seed=1)
    background = "".join(s for s, label in zip(sequences, labels) if label == 0)
    frequencies = np.array([background.count(b) for b in "ACGT"]) / len(background)
    assert np.all(np.abs(frequencies - 0.25) < 0.01)


def test_same_seed_same_data_other_seed_other_data():
    first = g.make_motif_dataset(n_positive=20, n_negative=20, seed=5)
    again = g.make_motif_dataset(n_positive=20, n_negative=20, seed=5)
    other = g.make_motif_dataset(n_positive=20, n_negative=20, seed=6)
    assert first.sequences == again.sequences
    assert np.array_equal(first.labels, again.labels)
    assert np.array_equal(first.starts, again.starts)
    assert first.sequences != other.sequences


def test_a_fixed_position_and_other_shapes():
    sequences, labels, starts = g.make_motif_dataset(n_positive=30, n_negative=5, length=20,
                                                     max_start=0, seed=2)
    assert {len(s) for s in sequences} == {20}
    assert np.all(starts[labels == 1] == 0)
    assert all(s.startswith(g.MOTIF) for s, label in zip(sequences, labels) if label)


def test_chance_copies_are_redrawn():
    # a 2-mer appears by chance in most random sequences: the redraw must still give exactly
    # one copy per positive and none per negative
    sequences, labels, starts = g.make_motif_dataset(n_positive=40, n_negative=40, length=8,
                                                     motif="ac", seed=4)
    for sequence, label, start in zip(sequences, labels, starts):
        assert _count(sequence, "AC") == label
        if label:
            assert sequence[start:start + 2] == "AC"


@pytest.mark.parametrize("kwargs, message", [
    ({"length": 10}, "length must be at least 12"),
    ({"max_start": 39}, "max_start must be at most"),
    ({"motif": "ACGU"}, "motif must be made of the letters A, C, G, T"),
    ({"motif": ""}, "motif must be a non-empty string"),
    ({"n_positive": 0, "n_negative": 0}, "at least 1"),
    ({"n_positive": -1}, "n_positive must be at least 0"),
    ({"seed": 1.5}, "seed must be an integer"),
])
def test_bad_generator_arguments_are_named(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        g.make_motif_dataset(**kwargs)


def test_train_test_indices_split_every_row_once():
    train, test = g.train_test_indices(2000, 0.25, seed=2019)
    assert train.shape == (1500,) and test.shape == (500,)
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(2000))
    again = g.train_test_indices(2000, 0.25, seed=2019)
    assert np.array_equal(train, again[0]) and np.array_equal(test, again[1])
    assert not np.array_equal(np.sort(test), np.arange(1500, 2000))  # shuffled
    with pytest.raises(ValueError, match="test_fraction"):
        g.train_test_indices(10, 1.0)


# --- checking and loading sequences -----------------------------------------------------------

def test_check_sequences_upper_cases_and_keeps_n():
    assert g.check_sequences(["acgtn", "ACGTN"]) == ["ACGTN", "ACGTN"]
    assert g.check_sequences(np.array(["AC", "GT"])) == ["AC", "GT"]


@pytest.mark.parametrize("sequences, error, message", [
    (["ACGT", "ACXT"], ValueError,
     r"sequence 1 has the invalid letter 'X' at position 2 \(counted from 0\)"),
    (["ACGT", "ACG"], ValueError, "sequence 1 has length 3, but sequence 0 has length 4"),
    (["ACGT", ""], ValueError, "sequence 1 is empty"),
    ([], ValueError, "at least one sequence"),
    ("ACGT", TypeError, "got a single string"),
    (["ACGT", 7], TypeError, "sequence 1 must be a string"),
    (None, TypeError, "must be a list of strings"),
])
def test_check_sequences_names_the_sequence_and_position(sequences, error, message):
    with pytest.raises(error, match=message):
        g.check_sequences(sequences)


def test_one_sequence_per_line_with_blank_lines():
    sequences, names = g.read_sequences(io.StringIO("ACGT\n\nacgn\n  TTTT  \n"))
    assert sequences == ["ACGT", "ACGN", "TTTT"]
    assert names == ["line 1 of the given file", "line 3 of the given file",
                     "line 4 of the given file"]


def test_fasta_records_over_several_lines(tmp_path):
    path = tmp_path / "sites.fa"
    path.write_text(">site_1 bound in replicate 1\nACG\nTAC\n\n>site_2\nttgcan\n")
    sequences, names = g.read_sequences(path)
    assert sequences == ["ACGTAC", "TTGCAN"]
    assert names[0].startswith("site_1, line 1 of") and names[1].startswith("site_2, line 5")
    assert str(path) in names[0]


def test_fasta_errors_name_the_record():
    with pytest.raises(ValueError, match=r"sequence 1 \(b, line 3 .*\) has the invalid letter "
                                         r"'-' at position 1"):
        g.read_sequences(io.StringIO(">a\nACGT\n>b\nA-GT\n"))
    with pytest.raises(ValueError, match="the FASTA record b, line 3 .* has no sequence"):
        g.read_sequences(io.StringIO(">a\nACGT\n>b\n"))
    with pytest.raises(ValueError, match="use one format per file"):
        g.read_sequences(io.StringIO("ACGT\n>b\nACGT\n"))
    with pytest.raises(ValueError, match="holds no sequence"):
        g.read_sequences(io.StringIO("\n\n"))
    with pytest.raises(TypeError, match="source must be a file path or an open file"):
        g.read_sequences(42)


def test_labels_file():
    assert g.read_labels(io.StringIO("1\n0\n\n1\n")).tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match="line 2 of the given file: a label must be 0 or 1, "
                                         "got 'yes'"):
        g.read_labels(io.StringIO("1\nyes\n"))


def test_load_labelled_sequences_checks_the_count():
    sequences, labels, names = g.load_labelled_sequences(io.StringIO("ACGT\nacgt\n"),
                                                         io.StringIO("1\n0\n"))
    assert sequences == ["ACGT", "ACGT"] and labels.tolist() == [1, 0] and len(names) == 2
    with pytest.raises(ValueError, match="2 labels for 3 sequences.*from sequence 2 on"):
        g.load_labelled_sequences(io.StringIO("AC\nGT\nCA\n"), io.StringIO("1\n0\n"))
    with pytest.raises(ValueError, match="3 labels for 2 sequences.*extra"):
        g.load_labelled_sequences(io.StringIO("AC\nGT\n"), io.StringIO("1\n0\n1\n"))


def test_sequences_and_positions_count_from_zero_like_one_hot_encode():
    # the same numbering as the reference one_hot_encode and the data set's motif starts
    from autograder.reference.keras_dna_motifs import one_hot_encode

    sequences = ["ACGT", "ACXT"]
    with pytest.raises(ValueError, match="sequence 1 has the invalid letter 'X' at position 2"):
        one_hot_encode(sequences)
    with pytest.raises(ValueError, match="sequence 1 has the invalid letter 'X' at position 2"):
        g.check_sequences(sequences)
    data = g.make_motif_dataset(n_positive=3, n_negative=0, seed=1)
    assert all(s[start:start + 12] == g.MOTIF for s, start in zip(data.sequences, data.starts))


def test_a_utf8_byte_order_mark_is_dropped(tmp_path):
    fasta, labels = tmp_path / "bom.fa", tmp_path / "bom_labels.txt"
    fasta.write_bytes("\ufeff>a\nACGT\n>b\nTTGA\n".encode("utf-8"))
    labels.write_bytes(b"\xef\xbb\xbf1\n0\n")
    sequences, y, names = g.load_labelled_sequences(fasta, labels)
    assert sequences == ["ACGT", "TTGA"] and y.tolist() == [1, 0]
    assert names[0].startswith("a, line 1")
    assert g.read_sequences(io.StringIO("\ufeffACGT\n"))[0] == ["ACGT"]


def test_gzip_and_utf16_files_are_refused_with_the_file_and_the_cause(tmp_path):
    import gzip

    packed = tmp_path / "seqs.fa.gz"
    packed.write_bytes(gzip.compress(b">a\nACGT\n"))
    with pytest.raises(ValueError, match=r"sequences_source: .*seqs\.fa\.gz is gzip-compressed.*"
                                         r"gunzip"):
        g.load_labelled_sequences(packed, io.StringIO("1\n"))
    wide = tmp_path / "labels16.txt"
    wide.write_bytes("1\n0\n".encode("utf-16"))
    with pytest.raises(ValueError, match=r"labels_source: .*labels16\.txt is UTF-16 text"):
        g.load_labelled_sequences(io.StringIO("AC\nGT\n"), wide)
    wide.write_bytes("1\n0\n".encode("utf-16-le"))  # no byte-order mark: the zero bytes tell
    with pytest.raises(ValueError, match="is UTF-16 text"):
        g.read_labels(wide)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("ACGT\n# é\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin\.txt is not UTF-8 text: the byte 0xe9 at "
                                         r"offset 7"):
        g.read_sequences(latin)
    with pytest.raises(ValueError, match=r"is gzip-compressed.*gunzip PATH"):  # in memory too
        g.read_sequences(io.BytesIO(gzip.compress(b"ACGT\n")))
    assert g.read_sequences(io.BytesIO(b"ACGT\n"))[0] == ["ACGT"]


def test_the_files_text_instead_of_its_path_is_named_as_such(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="sequences_source must be a file path or an open file, "
                                         "got a string that looks like the file's contents "
                                         r"\('>a\\nACGT\\n'\).*io\.StringIO\(text\)"):
        g.load_labelled_sequences(">a\nACGT\n", "labels.txt")
    with pytest.raises(ValueError, match="labels_source .* looks like the file's contents"):
        g.load_labelled_sequences(io.StringIO("ACGT\n"), "1\n")
    with pytest.raises(ValueError, match="looks like the file's contents"):
        g.read_sequences("ACGTACGTACGT")
    with pytest.raises(FileNotFoundError, match="source: no file 'missing.fa'"):
        g.read_sequences("missing.fa")
    with pytest.raises(TypeError, match="io.BytesIO"):
        g.read_sequences(b"ACGT\n")
    (tmp_path / "ACGTACGT").write_text("ACGT\n")  # an existing file is read, whatever its name
    assert g.read_sequences("ACGTACGT")[0] == ["ACGT"]


# --- counting helpers -------------------------------------------------------------------------

def test_confusion_matrix_matches_scikit_learn():
    from sklearn.metrics import confusion_matrix

    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
    assert np.array_equal(g.confusion_matrix(y_true, y_pred), confusion_matrix(y_true, y_pred))
    # rows are the truth: one false positive lands in row 0, column 1
    assert g.confusion_matrix([0, 0, 1], [1, 0, 1]).tolist() == [[1, 1], [0, 1]]
    with pytest.raises(ValueError, match="y_pred must hold integer classes 0 to 1"):
        g.confusion_matrix([0, 1], [0, 2])
    with pytest.raises(ValueError, match="same length"):
        g.confusion_matrix([0, 1], [0])


def test_top_positions_in_motif():
    importance = np.array([[0.0, 5.0, 1.0, 0.0, 0.0],
                           [9.0, 0.0, 1.0, 2.0, 0.0]])
    starts = np.array([1, 2])
    assert g.top_positions_in_motif(importance, starts, motif_length=2).tolist() == [1.0, 0.0]
    # top 2: row 0 -> positions 1, 2 (both inside 1-2); row 1 -> 0, 3 (3 inside 2-3)
    assert g.top_positions_in_motif(importance, starts, motif_length=2, top=2).tolist() == \
        [1.0, 0.5]
    ties = np.zeros((1, 5))
    assert g.top_positions_in_motif(ties, np.array([0]), motif_length=1).tolist() == [1.0]
    with pytest.raises(ValueError, match="starts must all be >= 0"):
        g.top_positions_in_motif(importance, np.array([1, -1]))
    with pytest.raises(ValueError, match="top must be at most L = 5"):
        g.top_positions_in_motif(importance, starts, top=6)


def test_highlight_motif():
    assert g.highlight_motif("AACGTT", 2, 2) == "AA[CG]TT"
    assert g.highlight_motif("AACGTT", -1) == "AACGTT"


def test_find_motif_starts_matches_the_planted_positions():
    data = g.make_motif_dataset(n_positive=20, n_negative=20, seed=5)
    assert np.array_equal(g.find_motif_starts(data.sequences), data.starts)
    assert g.find_motif_starts(["acgtacgt", "TTTT" * 2], motif="gta").tolist() == [2, -1]
    with pytest.raises(ValueError, match="motif must be made of the letters A, C, G, T"):
        g.find_motif_starts(["ACGT"], motif="ANG")


def test_in_silico_mutagenesis_of_a_linear_score_is_the_weight_difference():
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(7, 4))
    x = np.eye(4)[rng.integers(0, 4, size=7)]
    calls = []

    def score(batch):  # (m, 7, 4) -> (m,)
        calls.append(batch.shape)
        return np.einsum("mlc,lc->m", batch, weights)

    delta = g.in_silico_mutagenesis(score, x)
    present = (weights * x).sum(axis=1, keepdims=True)
    assert delta.shape == (7, 4) and delta.dtype == np.float64
    np.testing.assert_allclose(delta, weights - present, atol=1e-5)
    assert np.all(delta[x == 1] == 0.0)
    assert calls == [(29, 7, 4)]  # one batch: 4 L + 1 sequences, each base at each position
    x_n = x.copy()
    x_n[3] = 0.0  # an N: every base is a substitution
    np.testing.assert_allclose(g.in_silico_mutagenesis(score, x_n)[3], weights[3], atol=1e-5)
    with pytest.raises(ValueError, match=r"shape \(L, 4\)"):
        g.in_silico_mutagenesis(score, x[None])
    with pytest.raises(ValueError, match="one number per sequence"):
        g.in_silico_mutagenesis(lambda batch: batch.sum(axis=1), x)
