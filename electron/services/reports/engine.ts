/**
 * The reusable report engine: pdfkit with the bundled Korean font, a header and footer with page numbers
 * on every page, headings, key–value grids, tables that break across pages (repeating their header),
 * vector charts and a signature block. Report modules describe content; this draws it.
 */
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';

export interface ReportOptions {
  fontsDir: string;
  title: string;
  /** Left side of the header, e.g. "DX Mentor · 중소기업 DX 역량평가". */
  header: string;
  /** Footer text before the page number, e.g. the document id. */
  footer: string;
  /** "{page} / {pages}" pattern for the page number. */
  pageLabel: (page: number, pages: number) => string;
  info?: { Author?: string; Subject?: string; Keywords?: string };
}

export interface TableColumn {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

const MARGIN = 48;
const COLORS = { text: '#1f2328', dim: '#5b6067', line: '#d0d7de', accent: '#364fc7', fill: '#f1f3f9' };

export class Report {
  readonly doc: PDFKit.PDFDocument;
  private readonly opts: ReportOptions;

  constructor(opts: ReportOptions) {
    this.opts = opts;
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN + 24, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
      bufferPages: true,
      info: { Title: opts.title, Creator: 'DX Mentor', ...opts.info },
      lang: 'ko-KR',
    });
    const font = (name: string) => fs.readFileSync(path.join(opts.fontsDir, name));
    this.doc.registerFont('regular', font('Pretendard-Regular.ttf'));
    this.doc.registerFont('bold', font('Pretendard-Bold.ttf'));
    this.doc.font('regular').fontSize(10).fillColor(COLORS.text);
  }

  get width(): number {
    return this.doc.page.width - MARGIN * 2;
  }

  get left(): number {
    return MARGIN;
  }

  /** Starts a new page when fewer than `height` points are left. */
  ensure(height: number): void {
    if (this.doc.y + height > this.doc.page.height - this.doc.page.margins.bottom) this.doc.addPage();
  }

  title(text: string, subtitle?: string): void {
    this.doc.font('bold').fontSize(20).fillColor(COLORS.text).text(text, this.left, this.doc.y, { width: this.width });
    if (subtitle) this.doc.moveDown(0.2).font('regular').fontSize(10).fillColor(COLORS.dim).text(subtitle, { width: this.width });
    this.doc.moveDown(0.8).fillColor(COLORS.text);
  }

  heading(text: string): void {
    // Keep a heading with at least a few lines of what follows it.
    this.ensure(110);
    this.doc.moveDown(0.6).font('bold').fontSize(13).fillColor(COLORS.accent).text(text, this.left, this.doc.y, { width: this.width });
    const y = this.doc.y + 2;
    this.doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.6).strokeColor(COLORS.line).stroke();
    this.doc.moveDown(0.5).font('regular').fontSize(10).fillColor(COLORS.text);
  }

  paragraph(text: string, opts: { dim?: boolean; size?: number } = {}): void {
    this.ensure(30);
    this.doc
      .font('regular')
      .fontSize(opts.size ?? 10)
      .fillColor(opts.dim ? COLORS.dim : COLORS.text)
      .text(text, this.left, this.doc.y, { width: this.width, lineGap: 2 });
    this.doc.fillColor(COLORS.text).moveDown(0.4);
  }

  bullets(items: string[]): void {
    for (const item of items) {
      this.ensure(20);
      const y = this.doc.y;
      this.doc.circle(this.left + 4, y + 6, 1.6).fill(COLORS.accent).fillColor(COLORS.text);
      this.doc.font('regular').fontSize(10).text(item, this.left + 14, y, { width: this.width - 14, lineGap: 2 });
      this.doc.moveDown(0.2);
    }
    this.doc.moveDown(0.3);
  }

  /** Label/value pairs in `columns` columns. */
  keyValues(pairs: [string, string][], columns = 2): void {
    const colW = this.width / columns;
    for (let i = 0; i < pairs.length; i += columns) {
      this.ensure(34);
      const y = this.doc.y;
      let bottom = y;
      pairs.slice(i, i + columns).forEach(([k, v], j) => {
        const x = this.left + j * colW;
        this.doc.font('regular').fontSize(8).fillColor(COLORS.dim).text(k, x, y, { width: colW - 10 });
        this.doc.font('bold').fontSize(10).fillColor(COLORS.text).text(v || '—', x, this.doc.y + 1, { width: colW - 10 });
        bottom = Math.max(bottom, this.doc.y);
      });
      this.doc.y = bottom + 8;
    }
    this.doc.x = this.left;
  }

  /** A table that continues on the next page with its header repeated. */
  table(columns: TableColumn[], rows: string[][]): void {
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const drawRow = (cells: string[], header: boolean) => {
      const font = header ? 'bold' : 'regular';
      this.doc.font(font).fontSize(9);
      const heights = cells.map((c, i) => this.doc.heightOfString(c, { width: (widths[i] ?? 0) - 8 }));
      const h = Math.max(...heights, 10) + 8;
      if (this.doc.y + h > this.doc.page.height - this.doc.page.margins.bottom) {
        this.doc.addPage();
        if (!header) drawRow(columns.map((c) => c.header), true);
      }
      const y = this.doc.y;
      if (header) this.doc.rect(this.left, y, this.width, h).fill(COLORS.fill);
      let x = this.left;
      cells.forEach((c, i) => {
        const w = widths[i] ?? 0;
        this.doc.font(font).fontSize(9).fillColor(COLORS.text).text(c, x + 4, y + 4, { width: w - 8, align: columns[i]?.align ?? 'left' });
        x += w;
      });
      this.doc.moveTo(this.left, y + h).lineTo(this.left + this.width, y + h).lineWidth(0.4).strokeColor(COLORS.line).stroke();
      this.doc.y = y + h;
    };
    this.ensure(40);
    drawRow(columns.map((c) => c.header), true);
    for (const row of rows) drawRow(row, false);
    this.doc.x = this.left;
    this.doc.moveDown(0.6);
  }

  /** Radar (spider) chart of 0–100 values, one or two series (before/after). */
  radar(labels: string[], series: { values: (number | null)[]; color: string; label: string }[], size = 220): void {
    this.ensure(size + 40);
    const cx = this.left + this.width / 2;
    const cy = this.doc.y + size / 2 + 10;
    const r = size / 2 - 20;
    const n = labels.length;
    const point = (i: number, v: number) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      return [cx + Math.cos(a) * r * (v / 100), cy + Math.sin(a) * r * (v / 100)] as const;
    };
    for (const ring of [25, 50, 75, 100]) {
      labels.forEach((_, i) => {
        const [x, y] = point(i, ring);
        if (i === 0) this.doc.moveTo(x, y);
        else this.doc.lineTo(x, y);
      });
      this.doc.closePath().lineWidth(0.4).strokeColor(COLORS.line).stroke();
    }
    labels.forEach((label, i) => {
      const [x, y] = point(i, 100);
      this.doc.moveTo(cx, cy).lineTo(x, y).lineWidth(0.4).strokeColor(COLORS.line).stroke();
      const [lx, ly] = point(i, 118);
      this.doc.font('regular').fontSize(8).fillColor(COLORS.dim).text(label, lx - 45, ly - 5, { width: 90, align: 'center' });
    });
    for (const s of series) {
      s.values.forEach((v, i) => {
        const [x, y] = point(i, v ?? 0);
        if (i === 0) this.doc.moveTo(x, y);
        else this.doc.lineTo(x, y);
      });
      this.doc.closePath().lineWidth(1.5).fillOpacity(0.15).fillAndStroke(s.color, s.color).fillOpacity(1);
    }
    this.doc.y = cy + size / 2 + 6;
    this.legend(series);
  }

  /** Horizontal bars of 0–100 values per label, one bar per series (e.g. this diagnosis and the last). */
  bars(labels: string[], series: { values: (number | null)[]; color: string; label: string }[]): void {
    const barH = 10;
    const groupH = series.length * (barH + 2) + 8;
    this.ensure(labels.length * groupH + 40);
    const labelW = 130;
    const x0 = this.left + labelW;
    const w = this.width - labelW - 40;
    let y = this.doc.y + 4;
    for (const tick of [0, 25, 50, 75, 100]) {
      this.doc.moveTo(x0 + (w * tick) / 100, y).lineTo(x0 + (w * tick) / 100, y + labels.length * groupH).lineWidth(0.3).strokeColor(COLORS.line).stroke();
    }
    labels.forEach((label, i) => {
      this.doc.font('regular').fontSize(9).fillColor(COLORS.text).text(label, this.left, y + (groupH - 8) / 2 - 5, { width: labelW - 8 });
      series.forEach((s, j) => {
        const v = s.values[i] ?? 0;
        const by = y + j * (barH + 2);
        this.doc.rect(x0, by, Math.max(0.5, (w * v) / 100), barH).fill(s.color);
        this.doc.font('regular').fontSize(8).fillColor(COLORS.dim).text(s.values[i] === null ? '–' : String(v), x0 + (w * v) / 100 + 4, by + 1, { width: 36, lineBreak: false });
      });
      y += groupH;
    });
    this.doc.y = y + 4;
    this.doc.x = this.left;
    this.legend(series);
  }

  /** The capability × investment grid with type regions (rectangles given in axis units) and points. */
  grid(opts: {
    xLabel: string;
    yLabel: string;
    regions: { label: string; x0: number; y0: number; color: string }[];
    points: { x: number; y: number; color: string; label: string }[];
  }, size = 200): void {
    this.ensure(size + 50);
    const x0 = this.left + (this.width - size) / 2;
    const y0 = this.doc.y + 6;
    const X = (v: number) => x0 + (v / 100) * size;
    const Y = (v: number) => y0 + size - (v / 100) * size;
    // Regions from the weakest (whole square) to the best, each painted over the previous.
    for (const reg of opts.regions) {
      this.doc.rect(X(reg.x0), Y(100), X(100) - X(reg.x0), Y(reg.y0) - Y(100)).fillOpacity(0.12).fill(reg.color).fillOpacity(1);
      this.doc.font('bold').fontSize(8).fillColor(reg.color).text(reg.label, X(reg.x0) + 4, Y(reg.y0) - 12, { width: 60 });
    }
    this.doc.rect(x0, y0, size, size).lineWidth(0.6).strokeColor(COLORS.dim).stroke();
    for (const p of opts.points) {
      this.doc.circle(X(p.x), Y(p.y), 4).fill(p.color);
    }
    this.doc.font('regular').fontSize(8).fillColor(COLORS.dim);
    this.doc.text(opts.xLabel, x0, y0 + size + 4, { width: size, align: 'center' });
    this.doc.save().rotate(-90, { origin: [x0 - 14, y0 + size / 2] }).text(opts.yLabel, x0 - 14 - size / 2, y0 + size / 2 - 4, { width: size, align: 'center' }).restore();
    this.doc.y = y0 + size + 20;
    this.legend(opts.points);
  }

  private legend(items: { color: string; label: string }[]): void {
    const step = 160;
    let x = this.left + this.width / 2 - (items.length * step) / 2;
    const y = this.doc.y;
    for (const it of items) {
      this.doc.rect(x, y + 2, 8, 8).fill(it.color);
      this.doc.font('regular').fontSize(8).fillColor(COLORS.dim).text(it.label, x + 12, y, { width: step - 16, lineBreak: false });
      x += step;
    }
    this.doc.fillColor(COLORS.text);
    this.doc.x = this.left;
    this.doc.y = y + 18;
  }

  /** Signature boxes; a drawn signature (PNG) is placed in its box when given. */
  signatures(signers: { role: string; name: string; png?: Buffer | null; signedAt?: string | null }[]): void {
    this.ensure(120);
    const w = (this.width - 20 * (signers.length - 1)) / signers.length;
    const y = this.doc.y + 6;
    signers.forEach((s, i) => {
      const x = this.left + i * (w + 20);
      this.doc.rect(x, y, w, 90).lineWidth(0.6).strokeColor(COLORS.line).stroke();
      this.doc.font('regular').fontSize(8).fillColor(COLORS.dim).text(s.role, x + 8, y + 6, { width: w - 16 });
      if (s.png) this.doc.image(s.png, x + 8, y + 20, { fit: [w - 16, 44], align: 'center' });
      this.doc.font('bold').fontSize(10).fillColor(COLORS.text).text(s.name, x + 8, y + 68, { width: w - 16 });
      if (s.signedAt) this.doc.font('regular').fontSize(8).fillColor(COLORS.dim).text(s.signedAt, x + 8, y + 68, { width: w - 16, align: 'right' });
    });
    this.doc.y = y + 100;
    this.doc.x = this.left;
  }

  /** Draws headers and footers on every page and returns the finished PDF. */
  async finish(): Promise<Buffer> {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const { width, height } = this.doc.page;
      // Writing inside the margins must not trigger pdfkit's automatic page break.
      const bottom = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      this.doc.font('regular').fontSize(8).fillColor(COLORS.dim);
      this.doc.text(this.opts.header, MARGIN, MARGIN - 8, { width: width - MARGIN * 2, lineBreak: false });
      this.doc.moveTo(MARGIN, MARGIN + 6).lineTo(width - MARGIN, MARGIN + 6).lineWidth(0.4).strokeColor(COLORS.line).stroke();
      this.doc.text(this.opts.footer, MARGIN, height - MARGIN, { width: (width - MARGIN * 2) / 2, lineBreak: false });
      this.doc.text(this.opts.pageLabel(i - range.start + 1, range.count), width / 2, height - MARGIN, { width: width / 2 - MARGIN, align: 'right', lineBreak: false });
      this.doc.page.margins.bottom = bottom;
    }
    const chunks: Buffer[] = [];
    return new Promise((resolve, reject) => {
      this.doc.on('data', (c: Buffer) => chunks.push(c));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
      this.doc.end();
    });
  }
}
