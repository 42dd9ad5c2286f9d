"""Score predictions: accuracy, the confusion matrix, per-class precision and recall."""

import numpy as np

from mnist import NUM_CLASSES


def accuracy(y_true, y_pred):
    """Return the fraction of labels predicted correctly."""
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def confusion_matrix(y_true, y_pred, num_classes=NUM_CLASSES):
    """Return the K x K count matrix: row = true label, column = predicted label."""
    flat = np.asarray(y_true) * num_classes + np.asarray(y_pred)
    return np.bincount(flat, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def precision_recall(confusion):
    """Return per-class (precision, recall) from a confusion matrix; 0 where a class is never seen."""
    hits = np.diag(confusion).astype(float)
    predicted = confusion.sum(axis=0)
    actual = confusion.sum(axis=1)
    precision = np.divide(hits, predicted, out=np.zeros_like(hits), where=predicted > 0)
    recall = np.divide(hits, actual, out=np.zeros_like(hits), where=actual > 0)
    return precision, recall


def format_report(y_true, y_pred):
    """Return a text table: per-class precision and recall, macro averages, confusion matrix."""
    confusion = confusion_matrix(y_true, y_pred)
    precision, recall = precision_recall(confusion)
    lines = ["digit  precision  recall   support"]
    for digit in range(len(confusion)):
        lines.append(f"{digit:>5}  {precision[digit]:9.4f}  {recall[digit]:6.4f}  "
                     f"{confusion[digit].sum():8d}")
    lines.append(f"macro  {precision.mean():9.4f}  {recall.mean():6.4f}  {confusion.sum():8d}")
    lines.append("")
    lines.append("confusion matrix (rows: true digit, columns: predicted digit)")
    width = max(5, len(str(confusion.max())) + 1)
    lines.append("     " + "".join(f"{d:>{width}}" for d in range(len(confusion))))
    for digit, row in enumerate(confusion):
        lines.append(f"{digit:>5}" + "".join(f"{count:>{width}}" for count in row))
    return "\n".join(lines)
