package org.ntx.persistence;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.config.HibernatePropertiesProvider;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.dialect.Dialect;
import org.hibernate.search.mapper.orm.cfg.HibernateOrmMapperSettings;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.boot.orm.jpa.hibernate.SpringImplicitNamingStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The beans HAPI's JPA configuration expects the application to provide: the entity manager over HAPI's entities,
 * storage settings, and the search services. Everything else comes from HAPI's {@code JpaR4Config}.
 *
 * @see <a href="https://hapifhir.io/hapi-fhir/docs/server_jpa/configuration.html">HAPI JPA server configuration</a>
 */
@Configuration
@Import(ThreadPoolFactoryConfig.class)
class PersistenceConfig {

    @Bean
    JpaStorageSettings jpaStorageSettings(StorageProperties storage) {
        JpaStorageSettings settings = new JpaStorageSettings();
        settings.setAllowExternalReferences(storage.allowExternalReferences());
        // EHRs send resources in any order; a reference to a resource not yet sent must not fail the write.
        settings.setAutoCreatePlaceholderReferenceTargets(true);
        settings.setEnforceReferentialIntegrityOnWrite(false);
        settings.setExpungeEnabled(storage.expungeEnabled());
        return settings;
    }

    @Bean
    PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings();
    }

    @Primary
    @Bean
    LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            DataSource dataSource,
            DataSourceProperties dataSourceProperties,
            JpaProperties jpaProperties) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        factory.setJpaPropertyMap(hibernateProperties(jpaProperties, dataSourceProperties.determineUrl()));
        return factory;
    }

    /** Spring's JPA properties plus HAPI's defaults; any {@code spring.jpa.properties.*} set by the operator wins. */
    private static Map<String, Object> hibernateProperties(JpaProperties jpaProperties, String jdbcUrl) {
        Map<String, Object> properties = new HashMap<>(jpaProperties.getProperties());
        properties.putIfAbsent(AvailableSettings.DIALECT, HapiDialect.forJdbcUrl(jdbcUrl).className());
        // Creates the schema on first start and leaves an existing one in place on the next.
        properties.putIfAbsent(AvailableSettings.HBM2DDL_AUTO, "update");
        properties.putIfAbsent(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        properties.putIfAbsent(AvailableSettings.IMPLICIT_NAMING_STRATEGY, SpringImplicitNamingStrategy.class.getName());
        properties.putIfAbsent(
                AvailableSettings.PHYSICAL_NAMING_STRATEGY, CamelCaseToUnderscoresNamingStrategy.class.getName());
        properties.putIfAbsent(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
        properties.putIfAbsent(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
        properties.putIfAbsent(AvailableSettings.USE_QUERY_CACHE, "false");
        // No Lucene/Elasticsearch: searches and value set expansions run on the relational indexes. HAPI takes the
        // relational path only when no full-text search service bean exists, so none is declared here (with one,
        // $expand of a value set over a stored code system failed with "Hibernate Search was not initialized").
        properties.putIfAbsent(HibernateOrmMapperSettings.ENABLED, "false");
        return properties;
    }

    @Primary
    @Bean
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    @Primary
    @Bean
    HibernatePropertiesProvider hibernatePropertiesProvider(DataSourceProperties dataSourceProperties) {
        Dialect dialect = HapiDialect.forJdbcUrl(dataSourceProperties.determineUrl()).newInstance();
        return new HibernatePropertiesProvider() {
            @Override
            public Dialect getDialect() {
                return dialect;
            }
        };
    }

    @Bean
    IStaleSearchDeletingSvc staleSearchDeletingSvc() {
        return new StaleSearchDeletingSvcImpl();
    }

    @Bean
    DatabaseBackedPagingProvider databaseBackedPagingProvider(StorageProperties storage) {
        DatabaseBackedPagingProvider pagingProvider = new DatabaseBackedPagingProvider();
        pagingProvider.setDefaultPageSize(storage.defaultPageSize());
        pagingProvider.setMaximumPageSize(storage.maxPageSize());
        return pagingProvider;
    }

    @Bean
    IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
        return new DaoRegistryResourceSupportedSvc(daoRegistry);
    }

    @Bean(name = "myResourceCountsCache")
    ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
        return ResourceCountCacheUtil.newResourceCountCache(systemDao);
    }
}
