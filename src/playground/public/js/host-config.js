// A Webex-like host config for the Adaptive Cards renderer: Webex's colours, type scale,
// spacing and button layout (system fonts only: the page loads nothing from outside).

const foreground = {
  default: { default: '#121212', subtle: '#5E5E5E' },
  dark: { default: '#000000', subtle: '#4D4D4D' },
  light: { default: '#FFFFFF', subtle: '#EDEDED' },
  accent: { default: '#0A78CC', subtle: '#0A6AB3' },
  good: { default: '#1D805F', subtle: '#24704F' },
  warning: { default: '#A85400', subtle: '#8F4700' },
  attention: { default: '#D4371C', subtle: '#B32B13' },
};

/** The host config, as JSON for `new AdaptiveCards.HostConfig(...)`. */
export const webexHostConfig = {
  supportsInteractivity: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  lineHeights: { small: 16, default: 20, medium: 22, large: 26, extraLarge: 30 },
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 32, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#DEDEDE' },
  imageSizes: { small: 40, medium: 80, large: 160 },
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: foreground },
    emphasis: { backgroundColor: '#F7F7F7', foregroundColors: foreground },
    accent: { backgroundColor: '#E6F2FB', foregroundColors: foreground },
    good: { backgroundColor: '#E5F5EE', foregroundColors: foreground },
    attention: { backgroundColor: '#FCEBE8', foregroundColors: foreground },
    warning: { backgroundColor: '#FDF0E1', foregroundColors: foreground },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 12, style: 'emphasis' },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
    iconPlacement: 'leftOfTitle',
    iconSize: 16,
  },
  adaptiveCard: { allowCustomStyle: true },
  imageSet: { imageSize: 'medium', maxImageHeight: 100 },
  factSet: {
    title: { color: 'default', size: 'default', isSubtle: false, weight: 'bolder', wrap: true, maxWidth: 160 },
    value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
    spacing: 12,
  },
  textBlock: { headingLevel: 2 },
  inputs: {
    label: {
      inputSpacing: 'small',
      requiredInputs: { weight: 'bolder', suffix: ' *', suffixColor: 'attention' },
      optionalInputs: { weight: 'bolder' },
    },
    errorMessage: { size: 'small', color: 'attention', weight: 'default' },
  },
};
