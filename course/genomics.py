"""DNA sequences for notebook 07: a seeded motif data set and loaders for your own data.

- :func:`make_motif_dataset`: sequences of i.i.d. uniform bases, some of which hold one copy of
  a transcription-factor binding motif at a random position, following the recipe of the
  genomics primer (Zou et al., Nat Genet 2019): 987 positives and 1,013 negatives of 50 bp, the
  12-mer ``CGACCGAACTCC`` starting anywhere from position 0 to 37. Generated with a seed, so
  the same seed gives the same data everywhere; nothing is downloaded.
- :func:`train_test_indices`: a seeded split into training and test rows.
- :func:`read_sequences`, :func:`read_labels`, :func:`load_labelled_sequences`: sequences you
  bring, one per line or in FASTA format, with a labels file (one 0 or 1 per line).
- :func:`check_sequences`: the rules every sequence must follow, with errors that name the
  sequence and the position.
- :func:`find_motif_starts`: where a known motif sits in sequences you bring (``str.find``).
- :func:`confusion_matrix`, :func:`top_positions_in_motif`: counting helpers for the results.
- :func:`in_silico_mutagenesis`: every single-base substitution's effect on a model's score.

Conventions. Bases are the letters A, C, G, T; one-hot columns follow the order A, C, G, T.
Lower-case letters mean the same bases as upper-case ones (genome files use lower case for
"soft-masked" repeats) and are converted to upper case. ``N`` (or ``n``) is an unknown base:
it is kept, and a one-hot encoder turns it into a row of zeros. Any other character is an
error.

Numbering. Sequences and positions count from 0, as Python indexes lists and strings, as
``one_hot_encode`` of notebook 07 and as the motif starts of :func:`make_motif_dataset`: "sequence
0" is the first one, "position 3" is ``sequence[3]``. Lines of a file count from 1, as editors
show them ("line 1 of seqs.fa").

Files. Loaders take a path or an open file. Text is read as UTF-8 (plain ASCII is UTF-8); a
UTF-8 byte-order mark, which some Windows editors write, is dropped. A gzip-compressed file, a
UTF-16 file, another binary file, or the file's text passed instead of its path each get an
error that names the argument, the file and the cause.

This module needs only numpy: it never imports TensorFlow.
"""

from __future__ import annotations

import io
import os
from typing import NamedTuple

import numpy as np

from course.validation import check_int, describe

BASES = "ACGT"  # the one-hot column order
MOTIF = "CGACCGAACTCC"  # the primer's planted 12-mer
SEQUENCE_LENGTH = 50
N_POSITIVE = 987
N_NEGATIVE = 1013
ALLOWED = frozenset("ACGTN")  # after conversion to upper case


class MotifDataset(NamedTuple):
    """A generated data set: unpack it as ``sequences, labels, starts = ...``."""

    sequences: list  # n strings of equal length, letters A, C, G, T
    labels: np.ndarray  # (n,) int64: 1 if the sequence holds the motif, else 0
    starts: np.ndarray  # (n,) int64: the motif's first position (0-based), -1 for negatives


# --- generating -------------------------------------------------------------------------------

def _codes(text: str, name: str) -> np.ndarray:
    """Base codes 0-3 (A, C, G, T) of an upper-case DNA string."""
    bad = [c for c in text if c not in BASES]
    if bad:
        raise ValueError(f"{name} must be made of the letters A, C, G, T, got {text!r} "
                         f"(first bad letter {bad[0]!r})")
    return np.array([BASES.index(c) for c in text], dtype=np.int64)


def _count_occurrences(codes: np.ndarray, motif: np.ndarray) -> np.ndarray:
    """Number of exact copies of ``motif`` (shape (m,)) in each row of ``codes`` (n, L)."""
    windows = np.lib.stride_tricks.sliding_window_view(codes, len(motif), axis=1)
    return np.all(windows == motif, axis=2).sum(axis=1)


def make_motif_dataset(n_positive: int = N_POSITIVE, n_negative: int = N_NEGATIVE,
                       length: int = SEQUENCE_LENGTH, motif: str = MOTIF,
                       max_start: int | None = None, seed: int = 0) -> MotifDataset:
    """Random DNA sequences, some of which hold one copy of a motif at a random position.

    The recipe of the genomics primer's data: every base is drawn independently and uniformly
    from A, C, G, T; each positive sequence then gets exactly one copy of ``motif``, starting
    at a position drawn uniformly from 0 to ``max_start``; negatives hold no copy. Sequences
    where the random background happens to create an extra copy are redrawn. Positives and
    negatives come in random order.

    Parameters
    ----------
    n_positive, n_negative : int, at least 0 (not both 0)
        Number of sequences with and without the motif (987 and 1,013 in the primer).
    length : int
        Length L of every sequence (50 bp in the primer), at least ``len(motif)``.
    motif : str
        The planted motif, letters A, C, G, T (the primer's ``CGACCGAACTCC`` by default).
    max_start : int, optional
        Largest start position; by default ``length - len(motif) - 1`` (37 for 50 bp and a
        12-mer, as in the primer). 0 puts the motif always at the start.
    seed : int
        Seed of ``np.random.default_rng``: the same seed gives the same data.

    Returns
    -------
    MotifDataset (sequences, labels, starts)
        ``sequences``: list of n strings of length L; ``labels``: int64 array (n,), 1 for a
        positive; ``starts``: int64 array (n,), the motif's first position or -1.
    """
    n_positive = check_int(n_positive, "n_positive", minimum=0)
    n_negative = check_int(n_negative, "n_negative", minimum=0)
    if n_positive + n_negative == 0:
        raise ValueError("n_positive + n_negative must be at least 1, got 0 sequences")
    if not isinstance(motif, str) or not motif:
        raise TypeError(f"motif must be a non-empty string of A, C, G, T, got {describe(motif)}")
    motif_codes = _codes(motif.upper(), "motif")
    m = len(motif_codes)
    length = check_int(length, "length", minimum=m)
    if max_start is None:
        max_start = max(length - m - 1, 0)
    max_start = check_int(max_start, "max_start", minimum=0)
    if max_start > length - m:
        raise ValueError(f"max_start must be at most length - len(motif) = {length - m} so that "
                         f"the motif fits, got {max_start}")
    seed = check_int(seed, "seed", minimum=0)

    rng = np.random.default_rng(seed)
    n = n_positive + n_negative
    labels = np.zeros(n, dtype=np.int64)
    labels[:n_positive] = 1
    labels = rng.permutation(labels)
    starts = np.full(n, -1, dtype=np.int64)
    positive = np.flatnonzero(labels == 1)
    starts[positive] = rng.integers(0, max_start + 1, size=len(positive))
    codes = rng.integers(0, 4, size=(n, length))
    offsets = np.arange(m)

    def plant(rows):
        codes[rows[:, None], starts[rows][:, None] + offsets] = motif_codes

    plant(positive)
    # Redraw the background of any sequence with the wrong number of copies (rare: a chance
    # copy needs 12 matching bases, probability about 39 / 4**12 per sequence).
    while True:
        counts = _count_occurrences(codes, motif_codes)
        bad = np.flatnonzero(counts != labels)
        if len(bad) == 0:
            break
        codes[bad] = rng.integers(0, 4, size=(len(bad), length))
        plant(bad[labels[bad] == 1])
    letters = np.array(list(BASES))[codes]
    sequences = ["".join(row) for row in letters]
    return MotifDataset(sequences, labels, starts)


def train_test_indices(n_sequences: int, test_fraction: float = 0.25,
                       seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle the row numbers 0 … n_sequences - 1 and split them into training and test rows.

    Parameters
    ----------
    n_sequences : int, at least 2
    test_fraction : float in (0, 1)
        Share of rows for the test set, rounded to a whole number (0.25 of 2,000 is 500).
    seed : int
        Seed of the shuffle.

    Returns
    -------
    train, test : np.ndarray of int64, shapes (n_sequences - n_test,) and (n_test,)
        Disjoint row numbers, in shuffled order.
    """
    n_sequences = check_int(n_sequences, "n_sequences", minimum=2)
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float)) \
            or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be a number between 0 and 1, got "
                         f"{describe(test_fraction)}")
    seed = check_int(seed, "seed", minimum=0)
    n_test = min(max(int(round(n_sequences * test_fraction)), 1), n_sequences - 1)
    order = np.random.default_rng(seed).permutation(n_sequences)
    return order[n_test:], order[:n_test]


# --- checking and loading sequences -----------------------------------------------------------

def _where(names, i: int) -> str:
    """'sequence 3' or 'sequence 3 (chr1:100-150)' for messages (i is 0-based, as printed)."""
    label = f"sequence {i}"
    if names is not None and names[i]:
        label += f" ({names[i]})"
    return label


def check_sequences(sequences, names=None) -> list:
    """Check DNA sequences and return them in upper case.

    Rules: a list (or tuple, or 1-D array) of strings, at least one; every sequence non-empty
    and made of A, C, G, T or N in upper or lower case; all of the same length. Lower case is
    converted to upper case; ``N`` (an unknown base) is kept.

    Parameters
    ----------
    sequences : list of str, length n
    names : list of str, length n, optional
        How to call each sequence in error messages (a FASTA header, a file and line).

    Returns
    -------
    list of n str, upper case

    Raises
    ------
    TypeError
        ``sequences`` is not a list of strings.
    ValueError
        Naming the first offending sequence and position (both from 0): an invalid letter,
        an empty sequence, a length that differs from the first sequence's.
    """
    if isinstance(sequences, (str, bytes)):
        raise TypeError("sequences must be a list of strings, got a single string; "
                        "wrap it in a list: [sequence]")
    if isinstance(sequences, np.ndarray):
        if sequences.ndim != 1:
            raise TypeError(f"sequences must be a 1-D list of strings, got {describe(sequences)}")
        sequences = sequences.tolist()
    if not isinstance(sequences, (list, tuple)):
        raise TypeError(f"sequences must be a list of strings, got {describe(sequences)}")
    if len(sequences) == 0:
        raise ValueError("sequences must hold at least one sequence, got an empty list")
    if names is not None and len(names) != len(sequences):
        raise ValueError(f"names must have one entry per sequence ({len(sequences)}), "
                         f"got {len(names)}")
    checked = []
    for i, sequence in enumerate(sequences):
        if not isinstance(sequence, str):
            raise TypeError(f"{_where(names, i)} must be a string, got {describe(sequence)}")
        if not sequence:
            raise ValueError(f"{_where(names, i)} is empty")
        upper = sequence.upper()
        bad = [j for j, letter in enumerate(upper) if letter not in ALLOWED]
        if bad:
            j = bad[0]
            raise ValueError(
                f"{_where(names, i)} has the invalid letter {sequence[j]!r} at position {j} "
                f"(counted from 0); allowed are A, C, G, T and N, in upper or lower case")
        if checked and len(upper) != len(checked[0]):
            raise ValueError(
                f"{_where(names, i)} has length {len(upper)}, but {_where(names, 0)} has length "
                f"{len(checked[0])}: all sequences must have the same length (it differs from "
                f"position {min(len(upper), len(checked[0]))} on)")
        checked.append(upper)
    return checked


_BINARY_SIGNATURES = (
    (b"\x1f\x8b", "gzip-compressed", "decompress it first (gunzip FILE), or pass the open "
                                     "file gzip.open(FILE, 'rt')"),
    (b"PK\x03\x04", "a zip archive", "extract the text file from it first"),
    (b"BZh", "bzip2-compressed", "decompress it first (bunzip2 FILE)"),
)


def _decode(data: bytes, file_name: str, argument: str, path: bool = True) -> str:
    """The text of a file's bytes: UTF-8 (a byte-order mark dropped), else a clear error.
    ``path``: whether ``file_name`` is a path (used in the suggested command)."""
    for signature, what, fix in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ValueError(f"{argument}: {file_name} is {what} (it starts with the bytes "
                             f"{signature.hex(' ')}), not a text file: "
                             f"{fix.replace('FILE', file_name if path else 'PATH')}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (
            len(data) >= 4 and data[:200].count(b"\x00") >= len(data[:200]) // 4):
        raise ValueError(f"{argument}: {file_name} is UTF-16 text (a byte-order mark or a zero "
                         f"byte between the letters), but DNA files must be UTF-8 or ASCII: "
                         f"save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 "
                         f"{file_name if path else 'PATH'}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{argument}: {file_name} is not UTF-8 text: the byte "
                         f"0x{data[exc.start]:02x} at offset {exc.start} cannot be read "
                         f"({exc.reason}); is it compressed, or saved in another "
                         f"encoding?") from None


def _looks_like_contents(text: str) -> bool:
    """Whether a string given as a path is rather the file's text (no such file exists)."""
    if "\n" in text or "\r" in text or text.lstrip().startswith(">"):
        return True
    return len(text) >= 8 and set(text.upper()) <= ALLOWED


def _read_text(source, argument: str = "source") -> tuple[str, str]:
    """(text, name for messages) of a path or an open file (text or binary, e.g.
    io.StringIO); ``argument`` names the parameter in error messages."""
    if isinstance(source, (bytes, bytearray)):
        raise TypeError(f"{argument} must be a file path or an open file, got {describe(source)}"
                        f"; for bytes in memory, pass io.BytesIO(data)")
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not os.path.exists(path):
            if _looks_like_contents(path):
                shown = path if len(path) <= 40 else path[:37] + "..."
                raise ValueError(f"{argument} must be a file path or an open file, got a string "
                                 f"that looks like the file's contents ({shown!r}): pass the "
                                 f"path of the file, or wrap the text in io.StringIO(text)")
            raise FileNotFoundError(f"{argument}: no file {path!r} (looked in "
                                    f"{os.getcwd()!r})")
        with open(path, "rb") as handle:
            return _decode(handle.read(), path, argument), path
    if isinstance(source, io.IOBase) or hasattr(source, "read"):
        name = str(getattr(source, "name", "the given file"))
        try:
            content = source.read()
        except UnicodeDecodeError as exc:
            raise ValueError(f"{argument}: {name} could not be read as text ({exc.reason} at "
                             f"byte {exc.start}); pass the file's path instead, so that its "
                             f"encoding is detected") from None
        if isinstance(content, (bytes, bytearray)):
            return _decode(bytes(content), name, argument, path=hasattr(source, "name")), name
        if not isinstance(content, str):
            raise TypeError(f"{argument}.read() must return text, got {describe(content)}")
        return content.removeprefix("\ufeff"), name
    raise TypeError(f"{argument} must be a file path or an open file, got {describe(source)}")


def read_sequences(source, argument: str = "source") -> tuple[list, list]:
    """Read DNA sequences from a file: one sequence per line, or FASTA.

    The format is detected from the first non-empty line: ``>`` starts FASTA (a header line
    ``>name description``, then the sequence, possibly over several lines), anything else means
    one sequence per line. Blank lines are skipped. Sequences are checked with
    :func:`check_sequences` (letters A, C, G, T, N in any case, equal lengths) and returned in
    upper case.

    Parameters
    ----------
    source : str or os.PathLike or open file (text or binary, e.g. io.StringIO)
        The file's path, not its text (wrap text in ``io.StringIO``). UTF-8 or ASCII; a
        byte-order mark is dropped; gzip and UTF-16 files are refused with the reason.
    argument : str
        How error messages call ``source`` (the loader passes its own parameter's name).

    Returns
    -------
    sequences : list of n str
    names : list of n str
        The FASTA header's first word, or "line k of FILE" for one sequence per line.

    Raises
    ------
    ValueError
        Naming the sequence (from 0, with its header or line) and the position (from 0) of
        the first problem; or a file that is not text (gzip, UTF-16, another encoding).
    FileNotFoundError
        No file at that path.
    """
    text, file_name = _read_text(source, argument)
    lines = text.splitlines()
    content = [(k + 1, line.strip()) for k, line in enumerate(lines) if line.strip()]
    if not content:
        raise ValueError(f"{file_name} holds no sequence")
    sequences, names = [], []
    if content[0][1].startswith(">"):
        for line_no, line in content:
            if line.startswith(">"):
                header = line[1:].split()
                names.append(f"{header[0] if header else '(no name)'}, line {line_no} of "
                             f"{file_name}")
                sequences.append("")
            else:
                sequences[-1] += line
        for name, sequence in zip(names, sequences):
            if not sequence:
                raise ValueError(f"the FASTA record {name} has no sequence")
    else:
        for line_no, line in content:
            if line.startswith(">"):
                raise ValueError(f"line {line_no} of {file_name} starts a FASTA header, but the "
                                 f"file's first line is not one: use one format per file")
            names.append(f"line {line_no} of {file_name}")
            sequences.append(line)
    return check_sequences(sequences, names), names


def read_labels(source, argument: str = "source") -> np.ndarray:
    """Read class labels, one per line (0 or 1), blank lines skipped (``source`` as for
    :func:`read_sequences`).

    Returns
    -------
    np.ndarray of int64, shape (n,)

    Raises
    ------
    ValueError
        Naming the line of the first label that is not 0 or 1.
    """
    text, file_name = _read_text(source, argument)
    labels = []
    for k, line in enumerate(text.splitlines()):
        value = line.strip()
        if not value:
            continue
        if value not in ("0", "1"):
            raise ValueError(f"line {k + 1} of {file_name}: a label must be 0 or 1, "
                             f"got {value!r}")
        labels.append(int(value))
    if not labels:
        raise ValueError(f"{file_name} holds no label")
    return np.array(labels, dtype=np.int64)


def load_labelled_sequences(sequences_source, labels_source) -> tuple[list, np.ndarray, list]:
    """Sequences (one per line, or FASTA) and their labels (one 0/1 per line), checked.

    Parameters
    ----------
    sequences_source, labels_source : path or open file
        As for :func:`read_sequences` (paths, not the files' text).

    Returns
    -------
    sequences : list of n str, upper case
    labels : np.ndarray of int64, shape (n,)
    names : list of n str (see :func:`read_sequences`)

    Raises
    ------
    ValueError
        A problem in either file (see :func:`read_sequences`, :func:`read_labels`), or a
        number of labels that differs from the number of sequences.
    """
    sequences, names = read_sequences(sequences_source, "sequences_source")
    labels = read_labels(labels_source, "labels_source")
    if len(labels) != len(sequences):
        what = "missing" if len(labels) < len(sequences) else "extra"
        first = min(len(labels), len(sequences))
        raise ValueError(
            f"{len(labels)} labels for {len(sequences)} sequences: one label per sequence is "
            f"needed ({what} labels from sequence {first} on, "
            f"{_where(names, first) if first < len(names) else 'after the last sequence'})")
    return sequences, labels, names


def find_motif_starts(sequences, motif: str = MOTIF) -> np.ndarray:
    """The first start of ``motif`` in each sequence (``str.find``), or -1 where it is absent.

    For your own data, where nobody planted the motif: with a known motif this gives the
    ``starts`` that :func:`make_motif_dataset` returns for its own sequences.

    Parameters
    ----------
    sequences : list of str, length n
        Checked with :func:`check_sequences` (any case; compared in upper case).
    motif : str
        Letters A, C, G, T (any case).

    Returns
    -------
    np.ndarray of int64, shape (n,)
        0-based start positions, -1 for a sequence without an exact copy.
    """
    sequences = check_sequences(sequences)
    if not isinstance(motif, str) or not motif:
        raise TypeError(f"motif must be a non-empty string of A, C, G, T, got {describe(motif)}")
    _codes(motif.upper(), "motif")
    return np.array([sequence.find(motif.upper()) for sequence in sequences], dtype=np.int64)


# --- counting helpers -------------------------------------------------------------------------

def confusion_matrix(y_true, y_pred, n_classes: int = 2) -> np.ndarray:
    """Counts of (true class, predicted class) pairs.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n,)
        Classes 0 … n_classes - 1.
    n_classes : int

    Returns
    -------
    np.ndarray of int64, shape (n_classes, n_classes)
        Entry [i, j]: number of examples of true class i predicted as class j (rows are the
        truth, columns the prediction, as in scikit-learn).
    """
    n_classes = check_int(n_classes, "n_classes", minimum=1)
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.ndim != 1 or y_pred.shape != y_true.shape:
        raise ValueError(f"y_true and y_pred must be 1-D of the same length, got shapes "
                         f"{y_true.shape} and {y_pred.shape}")
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if values.dtype.kind not in "iub" or (values.size and (
                values.min() < 0 or values.max() >= n_classes)):
            raise ValueError(f"{name} must hold integer classes 0 to {n_classes - 1}, got "
                             f"{describe(values)}")
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_true.astype(np.int64), y_pred.astype(np.int64)), 1)
    return counts


def top_positions_in_motif(importance, starts, motif_length: int = len(MOTIF),
                           top: int = 1) -> np.ndarray:
    """For each sequence, the share of its ``top`` most important positions inside the motif.

    Parameters
    ----------
    importance : array-like, shape (n, L)
        One importance score per position (e.g. a saliency map summed over the bases).
    starts : array-like of int, shape (n,)
        The motif's first position in each sequence (all >= 0: positives only).
    motif_length : int
    top : int, 1 … L
        How many of the highest-scoring positions to look at.

    Returns
    -------
    np.ndarray of float64, shape (n,)
        With ``top=1``: 1.0 where the single most important position lies in
        [start, start + motif_length), else 0.0; its mean is the hit rate.
    """
    importance = np.asarray(importance, dtype=np.float64)
    starts = np.asarray(starts)
    if importance.ndim != 2:
        raise ValueError(f"importance must have shape (n, L), got {importance.shape}")
    if starts.shape != (importance.shape[0],) or starts.dtype.kind not in "iu":
        raise ValueError(f"starts must be integers, one per row of importance "
                         f"({importance.shape[0]}), got {describe(starts)}")
    if starts.size and starts.min() < 0:
        raise ValueError("starts must all be >= 0 (sequences that hold the motif); "
                         f"got {int(starts.min())}")
    motif_length = check_int(motif_length, "motif_length", minimum=1)
    top = check_int(top, "top", minimum=1)
    if top > importance.shape[1]:
        raise ValueError(f"top must be at most L = {importance.shape[1]}, got {top}")
    # stable sort on the negated scores: ties go to the earlier position
    best = np.argsort(-importance, axis=1, kind="stable")[:, :top]
    inside = (best >= starts[:, None]) & (best < starts[:, None] + motif_length)
    return inside.mean(axis=1)


def in_silico_mutagenesis(score, x) -> np.ndarray:
    """The change of a model's score for every single-base substitution of one sequence.

    In-silico mutagenesis (as in DeepSEA and DragoNN): for each position j and base c, the
    sequence with base c at position j is scored, and the original sequence's score is
    subtracted. Unlike a gradient, it measures what a whole substitution does, however
    non-linear the model. It costs 4 L + 1 evaluations of the model, in one batch: every base
    at every position (the base already there changes nothing and scores 0) and the original.

    Parameters
    ----------
    score : callable
        Maps a batch of one-hot sequences, shape (m, L, 4), to one number per sequence,
        shape (m,): e.g. the log-odds z1 - z0 of a trained network.
    x : array-like, shape (L, 4)
        One one-hot sequence (columns A, C, G, T; a row of zeros for N).

    Returns
    -------
    np.ndarray of float64, shape (L, 4)
        ``delta[j, c]`` = score(x with base c at position j) - score(x); 0 for the base
        that is already there. A large negative entry: that substitution destroys evidence.
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2 or x.shape[1] != len(BASES) or x.shape[0] == 0:
        raise ValueError(f"x must be one one-hot sequence of shape (L, 4), got {describe(x)}")
    if not callable(score):
        raise TypeError(f"score must be a function of a batch (m, L, 4), got {describe(score)}")
    length = x.shape[0]
    batch = np.repeat(x[None], length * len(BASES) + 1, axis=0)  # the original comes last
    for j in range(length):
        for c in range(len(BASES)):
            row = batch[j * len(BASES) + c]
            row[j] = 0.0
            row[j, c] = 1.0
    scores = np.asarray(score(batch), dtype=np.float64).reshape(-1)
    if scores.shape != (len(batch),):
        raise ValueError(f"score must return one number per sequence, shape ({len(batch)},), "
                         f"got shape {np.shape(scores)}")
    delta = (scores[:-1] - scores[-1]).reshape(length, len(BASES))
    delta[x == 1.0] = 0.0  # exactly 0 where nothing changed
    return delta


def highlight_motif(sequence: str, start: int, length: int = len(MOTIF)) -> str:
    """The sequence with the motif in square brackets, e.g. ``AC[CGACCGAACTCC]GT…``
    (``start`` < 0: returned unchanged)."""
    if start < 0:
        return sequence
    return f"{sequence[:start]}[{sequence[start:start + length]}]{sequence[start + length:]}"
