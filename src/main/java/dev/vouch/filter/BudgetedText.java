package dev.vouch.filter;

/**
 * A view of a text that counts the characters a backtracking matcher reads and stops it with
 * {@link OverBudget} past a limit: java.util.regex has no step limit of its own, and every step
 * reads a character. Reset for each search; confined to one thread's matcher.
 */
final class BudgetedText implements CharSequence {
  /** Thrown out of the matcher when the budget is spent. */
  static final class OverBudget extends RuntimeException {
    OverBudget() {
      super("regex step budget exceeded", null, false, false);
    }
  }

  /** A String, not any CharSequence: its charAt is bound statically and inlined. */
  private String text = "";
  private int budget;

  /** Views {@code text} with {@code budget} reads left. */
  void reset(CharSequence text, int budget) {
    this.text = text.toString();
    this.budget = budget;
  }

  @Override
  public char charAt(int index) {
    if (--budget < 0) {
      throw new OverBudget();
    }
    return text.charAt(index);
  }

  @Override
  public int length() {
    return text.length();
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return text.subSequence(start, end);
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
