// The catalogue: a merchant's products and categories. Changes are use cases (db, actor,
// input) audited in their own transaction; the storefront reads active products with the
// stock a buyer sees (counted by lib/inventory).
export { currencySchema, generatorRuleSchema, productInputSchema, deliveryColumns, slugify, type ProductInput } from './schema';
export {
  createProduct,
  updateProduct,
  setProductActive,
  moveProduct,
  deliverySecretOf,
  getMerchantProduct,
  listMerchantProducts,
  listProductRecords,
  type MerchantProductRow,
  type ProductListFilter,
} from './products';
export {
  createCategory,
  updateCategory,
  moveCategory,
  deleteCategory,
  listMerchantCategories,
  listStoreCategories,
  type CategoryInput,
  type MerchantCategoryRow,
} from './categories';
export { listStoreProducts, getStoreProduct, storeProductTitle, unitPriceFor, UNLIMITED_STOCK, type StoreProduct } from './store';
export type { Product, Category, WholesaleTier, GeneratorRule } from '@/db/schema';
