export { profileDataset, type ProfileOptions } from './profile-dataset.js'
export { formatProfile } from './format-profile.js'
export { PROFILE_QUANTILES, type QuantileKey, type Quantiles } from './quantiles.js'
