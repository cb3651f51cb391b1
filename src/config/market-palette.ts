/**
 * The default paint palette, weighted roughly like the colours new cars are
 * sold in worldwide (white, black, grey and silver take about four in five;
 * blue and red most of the rest), each colour split over the finishes it
 * usually comes in. Weights are relative.
 */
import type { PaintFinish } from '../protocol';

export interface PaletteEntry {
  name: string;
  color: string;
  finish: PaintFinish;
  weight: number;
}

export const MARKET_PALETTE: readonly PaletteEntry[] = [
  { name: 'white', color: 'white', finish: 'solid', weight: 20 },
  { name: 'pearl-white', color: '#eeeae2', finish: 'pearl', weight: 15 },
  { name: 'black', color: 'black', finish: 'solid', weight: 8 },
  { name: 'black-metallic', color: '#101216', finish: 'metallic', weight: 11 },
  { name: 'grey', color: 'grey', finish: 'metallic', weight: 13 },
  { name: 'grey-solid', color: '#6b6e70', finish: 'solid', weight: 3 },
  { name: 'grey-matte', color: '#3f4346', finish: 'matte', weight: 1 },
  { name: 'silver', color: 'silver', finish: 'metallic', weight: 9 },
  { name: 'blue', color: 'blue', finish: 'metallic', weight: 6 },
  { name: 'blue-solid', color: '#2a4f8f', finish: 'solid', weight: 2 },
  { name: 'red', color: 'red', finish: 'solid', weight: 3 },
  { name: 'red-metallic', color: '#7a1220', finish: 'metallic', weight: 3 },
  { name: 'green', color: 'green', finish: 'metallic', weight: 2 },
  { name: 'beige', color: 'beige', finish: 'metallic', weight: 1 },
  { name: 'brown', color: 'brown', finish: 'metallic', weight: 1 },
  { name: 'yellow', color: 'yellow', finish: 'solid', weight: 0.5 },
  { name: 'orange', color: 'orange', finish: 'solid', weight: 0.5 },
];
