"""Recurring-question grouping: deterministic TF-IDF clustering with hand corrections kept.

Each question becomes a TF-IDF vector over its Dutch stems (see `text.py`), L2-normalised, so the
dot product of two vectors is their cosine similarity. Two questions are linked when their
similarity is at least `THRESHOLD`; a group is a set of questions connected by links in which
every question is also close to the group as a whole (its similarity to the group centroid is at
least `CENTROID_THRESHOLD`), which stops long chains of loosely related questions from merging.

Hand corrections stick: questions in a *pinned* group (one an ambassador merged or split by
hand) keep their group. Pinned groups are never merged with each other by the algorithm; an
unpinned question that is close to a pinned group joins it. The result depends only on the
input (ordered by question id), never on chance.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .text import tokens

THRESHOLD = 0.3
CENTROID_THRESHOLD = 0.35
CHUNK = 2000


@dataclass(frozen=True)
class Item:
    id: int
    text: str
    pinned_group: int | None = None


@dataclass
class Cluster:
    members: list[int]
    pinned_group: int | None = None
    terms: list[str] = field(default_factory=list)


def _vectorise(texts: Sequence[str]) -> tuple[sparse.csr_matrix, list[str], dict[str, str]]:
    vocabulary: dict[str, int] = {}
    surface: dict[str, Counter] = defaultdict(Counter)
    rows, cols, vals = [], [], []
    for row, text in enumerate(texts):
        counts: Counter = Counter()
        for term, word in tokens(text):
            counts[term] += 1
            surface[term][word] += 1
        for term, n in counts.items():
            col = vocabulary.setdefault(term, len(vocabulary))
            rows.append(row)
            cols.append(col)
            vals.append(1 + np.log(n))
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float64)
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    idf = np.log((1 + len(texts)) / (1 + df)) + 1
    matrix = matrix @ sparse.diags(idf)
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A1
    norms[norms == 0] = 1
    matrix = sparse.diags(1 / norms) @ matrix
    terms = [""] * len(vocabulary)
    for term, col in vocabulary.items():
        terms[col] = term
    # Show the most used written form of each stem ("uitkering", not "uitker").
    labels = {term: words.most_common(1)[0][0] for term, words in surface.items()}
    return matrix.tocsr(), terms, labels


def _links(matrix: sparse.csr_matrix, threshold: float) -> sparse.csr_matrix:
    n = matrix.shape[0]
    parts = []
    transposed = matrix.T.tocsc()
    for start in range(0, n, CHUNK):
        block = (matrix[start:start + CHUNK] @ transposed).tocoo()
        keep = block.data >= threshold
        parts.append(sparse.coo_matrix(
            (np.ones(keep.sum(), dtype=np.int8), (block.row[keep] + start, block.col[keep])), shape=(n, n)
        ))
    return sparse.csr_matrix(sum(parts[1:], parts[0])) if parts else sparse.csr_matrix((n, n))


def _top_terms(matrix: sparse.csr_matrix, rows: list[int], terms: list[str], labels: dict[str, str], k: int = 5) -> list[str]:
    centroid = np.asarray(matrix[rows].sum(axis=0)).ravel()
    present = np.asarray((matrix[rows] > 0).sum(axis=0)).ravel()
    # Terms that tie the group together: shared by at least half the members, by weight.
    score = np.where(present >= max(2, len(rows) / 2), centroid, 0)
    order = np.lexsort((np.arange(len(score)), -score))[:k]
    return [labels[terms[i]] for i in order if score[i] > 0]


def group(items: Sequence[Item], *, threshold: float = THRESHOLD, centroid_threshold: float = CENTROID_THRESHOLD) -> list[Cluster]:
    """Clusters of at least two questions (pinned groups always come back, even when small).

    1. Link questions with cosine similarity ≥ `threshold`.
    2. Star clustering: the unassigned question with the most links (ties: lowest id) becomes a
       centre and takes its unassigned neighbours; repeat. No chaining through intermediaries.
    3. Refine twice: every unpinned question moves to the group whose centroid it is most
       similar to, if that similarity is ≥ `centroid_threshold`; otherwise it is left alone.
    """
    items = sorted(items, key=lambda item: item.id)
    if not items:
        return []
    matrix, terms, labels = _vectorise([item.text for item in items])
    links = _links(matrix, threshold)
    n = len(items)
    assignment = np.full(n, -1, dtype=np.int64)
    pins: list[int] = sorted({item.pinned_group for item in items if item.pinned_group is not None})
    pin_index = {pin: k for k, pin in enumerate(pins)}
    fixed = np.zeros(n, dtype=bool)
    for index, item in enumerate(items):
        if item.pinned_group is not None:
            assignment[index] = pin_index[item.pinned_group]
            fixed[index] = True
    next_cluster = len(pins)
    degree = np.diff(links.indptr)
    for centre in sorted(range(n), key=lambda i: (-degree[i], i)):
        if assignment[centre] >= 0 or degree[centre] <= 1:
            continue
        neighbours = links.indices[links.indptr[centre]:links.indptr[centre + 1]]
        free = [j for j in neighbours if assignment[j] < 0]
        if len(free) < 2:
            continue
        assignment[free] = next_cluster
        next_cluster += 1
    for _round in range(3):
        if next_cluster == 0:
            break
        if _round == 1:
            assignment = _merge_close(matrix, assignment, next_cluster, len(pins))
        member_matrix = sparse.csr_matrix(
            (np.ones(int((assignment >= 0).sum())), (assignment[assignment >= 0], np.nonzero(assignment >= 0)[0])),
            shape=(next_cluster, n),
        )
        centroids = (member_matrix @ matrix).toarray()
        norms = np.linalg.norm(centroids, axis=1)
        norms[norms == 0] = 1
        centroids /= norms[:, None]
        similarity = np.asarray(matrix @ centroids.T)
        best = similarity.argmax(axis=1)
        best_score = similarity[np.arange(n), best]
        movable = ~fixed
        assignment[movable] = np.where(best_score[movable] >= centroid_threshold, best[movable], -1)
    clusters: list[Cluster] = []
    members_of: dict[int, list[int]] = defaultdict(list)
    for index, cluster in enumerate(assignment):
        if cluster >= 0:
            members_of[int(cluster)].append(index)
    for cluster in sorted(members_of, key=lambda c: members_of[c][0]):
        rows = members_of[cluster]
        pinned = pins[cluster] if cluster < len(pins) else None
        if pinned is None and len(rows) < 2:
            continue
        clusters.append(Cluster([items[r].id for r in rows], pinned, _top_terms(matrix, rows, terms, labels)))
    return clusters


MERGE_THRESHOLD = 0.5


def _merge_close(matrix: sparse.csr_matrix, assignment: np.ndarray, clusters: int, pinned: int) -> np.ndarray:
    """Merge groups whose centroids are close (star clustering can split one theme in two).

    Two pinned groups are never merged: an ambassador split them on purpose.
    """
    mask = assignment >= 0
    member_matrix = sparse.csr_matrix((np.ones(int(mask.sum())), (assignment[mask], np.nonzero(mask)[0])), shape=(clusters, matrix.shape[0]))
    centroids = (member_matrix @ matrix).toarray()
    norms = np.linalg.norm(centroids, axis=1)
    norms[norms == 0] = 1
    centroids /= norms[:, None]
    parent = list(range(clusters))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    close = sparse.triu(sparse.csr_matrix(centroids @ centroids.T), k=1).tocoo()
    for a, b, value in sorted(zip(close.row, close.col, close.data, strict=True), key=lambda t: (-t[2], t[0], t[1])):
        if value < MERGE_THRESHOLD:
            continue
        ra, rb = find(int(a)), find(int(b))
        if ra == rb or (ra < pinned and rb < pinned):
            continue
        low, high = sorted((ra, rb))
        parent[high] = low  # the lower index wins, so a pinned group (lowest indices) keeps its id
    mapping = np.array([find(c) for c in range(clusters)])
    result = assignment.copy()
    result[mask] = mapping[assignment[mask]]
    return result
