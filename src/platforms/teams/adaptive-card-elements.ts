/**
 * The Adaptive Card 1.5 elements the renderer emits, typed after Microsoft's schema
 * (learn.microsoft.com/adaptive-cards/schema-explorer: TextBlock, RichTextBlock,
 * TextRun, Container, FactSet, Table, TableRow, TableCell).
 */

export type TextColor = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';
export type ContainerStyle = 'default' | 'emphasis' | 'accent' | 'good' | 'warning' | 'attention';

/** Teams reads a TextBlock's text as Markdown (a subset: bold, italic, lists, links). */
export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  style?: 'heading';
  weight?: 'Bolder';
  size?: 'Small' | 'Medium' | 'Large';
  color?: TextColor;
  isSubtle?: boolean;
  fontType?: 'Monospace';
  spacing?: 'None';
}

/** A TextRun's text is shown as written: "Markdown is not supported" (schema explorer, TextRun). */
export interface TextRun {
  type: 'TextRun';
  text: string;
  fontType?: 'Monospace';
  weight?: 'Bolder';
}

export interface RichTextBlock {
  type: 'RichTextBlock';
  inlines: TextRun[];
  spacing?: 'None';
  horizontalAlignment?: 'Right';
}

export interface Container {
  type: 'Container';
  style?: ContainerStyle;
  bleed?: boolean;
  items: CardElement[];
}

export interface FactSet {
  type: 'FactSet';
  facts: Array<{ title: string; value: string }>;
}

export interface TableCell {
  type: 'TableCell';
  items: CardElement[];
}

export interface TableRow {
  type: 'TableRow';
  cells: TableCell[];
}

/** Table (1.5): `width` as a number is the column's weight relative to the others. */
export interface TableElement {
  type: 'Table';
  columns: Array<{ width: number; horizontalCellContentAlignment?: 'Left' | 'Right' }>;
  rows: TableRow[];
  firstRowAsHeader: true;
  showGridLines: boolean;
}

export type CardElement = TextBlock | RichTextBlock | Container | FactSet | TableElement;
