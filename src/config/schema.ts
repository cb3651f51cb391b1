/**
 * JSON Schema (draft 2020-12 subset that ajv checks) of a scene config.
 * Lists are discrete axes of the job grid; `[min, max]` pairs are ranges
 * each job draws from with its own seeded random source.
 */

const range = (unit: string, minimum: number, maximum: number) => ({
  description: `A fixed value or a [min, max] range, in ${unit}`,
  oneOf: [
    { type: 'number', minimum, maximum },
    {
      type: 'array',
      items: { type: 'number', minimum, maximum },
      minItems: 2,
      maxItems: 2,
    },
  ],
});

const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 64 };

const ground = { enum: ['asphalt', 'concrete', 'gravel', 'workshop', 'projected', 'shadow', 'none'] };
/** The lighting a background goes with (a photo lit like one of the environments): jobs pair it with those only. */
const lightingNames = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 };

export const SCENE_CONFIG_SCHEMA = {
  $id: 'https://dentfarm.dev/schema/scene-config.json',
  title: 'dentfarm scene config',
  type: 'object',
  additionalProperties: false,
  required: ['models'],
  properties: {
    $schema: { type: 'string' },
    $comment: { type: 'string', description: 'A note for people; ignored' },
    name: name,
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    modelDirs: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    models: { type: 'array', items: name, minItems: 1, uniqueItems: true },
    paints: {
      type: 'array',
      minItems: 1,
      items: {
        oneOf: [
          { type: 'string', minLength: 1 },
          {
            type: 'object',
            additionalProperties: false,
            required: ['color'],
            properties: {
              name: name,
              color: { type: 'string', minLength: 1 },
              finish: { enum: ['solid', 'metallic', 'pearl', 'matte'] },
            },
          },
        ],
      },
    },
    palette: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['color', 'weight'],
        properties: {
          name: name,
          color: { type: 'string', minLength: 1 },
          finish: { enum: ['solid', 'metallic', 'pearl', 'matte'] },
          weight: { type: 'number', exclusiveMinimum: 0, maximum: 1000000 },
        },
      },
    },
    damage: {
      type: 'object',
      additionalProperties: false,
      properties: {
        dent: {
          type: 'object',
          additionalProperties: false,
          properties: {
            count: range('damages per image', 0, 12),
            radiusCm: range('centimetres', 0.5, 60),
            depthMm: range('millimetres', 0.5, 100),
            crease: { type: 'number', minimum: 0, maximum: 1, description: 'Share of dents that are creases' },
            creaseLength: range('times longer than wide', 1, 8),
          },
        },
        scratch: {
          type: 'object',
          additionalProperties: false,
          properties: {
            count: range('damages per image', 0, 12),
            lengthCm: range('centimetres', 1, 200),
            widthMm: range('millimetres', 0.2, 50),
            curvature: range('radians per segment', 0, 1.5),
            layers: {
              type: 'object',
              additionalProperties: false,
              description: 'Relative frequency of each depth: through the clear coat, to the primer, to bare metal',
              properties: {
                clear_coat: { type: 'number', minimum: 0 },
                primer: { type: 'number', minimum: 0 },
                bare_metal: { type: 'number', minimum: 0 },
              },
            },
          },
        },
        crack: {
          type: 'object',
          additionalProperties: false,
          properties: {
            count: range('damages per image', 0, 12),
            lengthCm: range('centimetres', 1, 100),
            widthMm: range('millimetres', 0.2, 20),
            branches: range('forks per crack', 0, 4),
          },
        },
        glass_shatter: {
          type: 'object',
          additionalProperties: false,
          properties: { count: range('damages per image', 0, 6), radiusCm: range('centimetres', 2, 60) },
        },
        lamp_broken: {
          type: 'object',
          additionalProperties: false,
          properties: { count: range('damages per image', 0, 4), radiusCm: range('centimetres', 1, 30) },
        },
        tire_flat: {
          type: 'object',
          additionalProperties: false,
          properties: { count: range('damages per image', 0, 4), deflation: range('share of the sidewall lost', 0.05, 1) },
        },
      },
    },
    lighting: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: name,
          environment: { type: 'string', minLength: 1 },
          environmentIntensity: range('multiples of the map', 0, 10),
          environmentRotationDeg: range('degrees', -360, 360),
          exposure: range('multiples', 0.05, 20),
          sun: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                additionalProperties: false,
                properties: {
                  azimuthDeg: range('degrees', -360, 360),
                  elevationDeg: range('degrees', 0, 90),
                  intensity: range('Babylon light units', 0, 50),
                },
              },
            ],
          },
          lamps: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                additionalProperties: false,
                properties: {
                  count: range('lamps', 0, 4),
                  distanceM: range('metres from the car centre', 0, 40),
                  heightM: range('metres above the ground', 1, 20),
                  intensity: range('candela-like Babylon units', 0, 5000),
                  kelvin: range('kelvin', 1500, 8000),
                },
              },
            ],
          },
        },
      },
    },
    backgrounds: {
      type: 'array',
      minItems: 1,
      items: {
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['type'],
            properties: { type: { const: 'environment' }, name: name, ground: ground, lighting: lightingNames },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'color'],
            properties: { type: { const: 'color' }, name: name, color: { type: 'string' }, ground: ground, lighting: lightingNames },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'file'],
            properties: {
              type: { const: 'image' },
              name: name,
              file: { type: 'string', minLength: 1 },
              ground: ground,
              lighting: lightingNames,
              camera: {
                type: 'object',
                additionalProperties: false,
                required: ['horizon'],
                description: "The camera the photo was taken with; jobs on it use the same, so the car's perspective matches the photo's",
                properties: {
                  horizon: { type: 'number', minimum: -1, maximum: 2, description: 'Where the horizon lies, as a share of the image height from the top (0.5: a level camera)' },
                  heightM: range('metres above the ground', 0.1, 20),
                  focalLengthMm: { type: 'number', minimum: 8, maximum: 400 },
                  environmentRotationDeg: {
                    type: 'number',
                    minimum: -360,
                    maximum: 360,
                    description:
                      "For a photo cut from the paired environment map: the map's rotation at which a camera at azimuth 0 sees this photo behind the car. Jobs on the photo turn the map with the camera, so the car reflects the photo's own surroundings",
                  },
                },
              },
            },
          },
        ],
      },
    },
    views: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: name,
          azimuthDeg: range('degrees', -360, 360),
          elevationDeg: range('degrees', -10, 89),
          distanceM: range('metres', 0.3, 100),
          fill: range('fraction of the frame', 0.1, 1.5),
          focalLengthMm: range('35 mm-equivalent millimetres', 8, 400),
          targetHeightM: range('metres', 0, 5),
          rollDeg: range('degrees', -45, 45),
          frame: { enum: ['car', 'damage'] },
          heightM: range('metres above the ground', 0.1, 20),
        },
      },
    },
    image: {
      type: 'object',
      additionalProperties: false,
      properties: {
        width: { type: 'integer', minimum: 16, maximum: 8192 },
        height: { type: 'integer', minimum: 16, maximum: 8192 },
        format: { enum: ['png', 'jpeg', 'webp'] },
        quality: range('JPEG/WebP quality', 1, 100),
        supersample: { type: 'integer', minimum: 1, maximum: 4 },
        blur: range('pixels of Gaussian blur sigma', 0, 10),
        noise: range('8-bit levels of sensor noise', 0, 40),
      },
    },
    samples: { type: 'integer', minimum: 1, maximum: 100000 },
    placement: { enum: ['visible', 'anywhere'] },
    annotations: {
      type: 'object',
      additionalProperties: false,
      properties: {
        segmentation: { enum: ['rle', 'polygon'] },
        minVisiblePixels: { type: 'integer', minimum: 1, maximum: 1000000 },
        small: { enum: ['ignore', 'drop'] },
        dentLabelFraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        minVisibleChange: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
  },
} as const;
