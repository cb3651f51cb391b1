/**
 * dentfarm as a library: the same stages the CLI runs, for callers that
 * want to build their own pipeline around them.
 */
export { loadConfig, parseConfig, BUILTIN_ENVIRONMENTS } from './config/load-config';
export type { SceneConfig, Range } from './config/scene-config';
export { SCENE_CONFIG_SCHEMA } from './config/schema';
export { loadCatalog, readEntry, selectModels, type ModelEntry } from './car/model-catalog';
export { buildProceduralCar, DEFAULT_SEDAN, DEFAULT_HATCHBACK, DEFAULT_SUV } from './car/procedural-car';
export { writeGlb } from './car/glb-writer';
export { expandGrid, countJobs, gridAxes } from './grid/expand-grid';
export type { Job } from './grid/job';
export { Random, deriveSeed, hashString } from './grid/random';
export { Farm, type FarmOptions } from './farm/farm';
export { findChromium } from './farm/find-chromium';
export { renderDataset, type RenderOptions, type RenderSummary } from './pipeline/render-dataset';
export { validateDataset, formatValidation, type ValidationReport } from './pipeline/validate-dataset';
export { runDoctor, checkCalibration, type DoctorReport } from './pipeline/doctor';
export { measureFloor, type FloorOptions, type FloorReport } from './pipeline/measure-floor';
export { measureTransfer, type TransferReport } from './pipeline/measure-transfer';
export { median } from './pipeline/stage-timings';
export { writeContactSheet, type ContactSheetOptions } from './output/contact-sheet';
export { readDataset, type Dataset, type DatasetImage, type DatasetAnnotation, type DatasetCategory } from './report/read-dataset';
export { computeDatasetStats, isGap, type DatasetStats, type Facet } from './report/dataset-stats';
export { readAskedDistribution, type AskedDistribution } from './report/asked-distribution';
export { renderReportHtml } from './report/report-html';
export { writeReport, datasetReport, type ReportOptions } from './report/write-report';
export { DatasetServer, type ServeOptions } from './serve/dataset-server';
export { exportYolo, yoloLine, yoloClassIndex, DATA_YAML_HEADER, type YoloExportSummary } from './export/yolo-export';
export { augmentImage, type Augmentation } from './output/augment';
export { changedPixels, VISIBLE_CHANGE_LEVELS } from './annotation/changed-pixels';
export { MARKET_PALETTE, type PaletteEntry } from './config/market-palette';
export { annotateJob } from './annotation/annotate-job';
export { CATEGORIES } from './annotation/categories';
export * from './annotation/index';
export { DentfarmError, ConfigError, EXIT_OK, EXIT_JOBS_FAILED, EXIT_USAGE } from './errors';
export { Logger } from './log/logger';
export type * from './protocol';
